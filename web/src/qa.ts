// Q&A state (hub/PROTOCOL.md §10): questions by id, the newest version wins; a removal (hidden) drops a question for
// participants; my upvotes; sorting by votes or by time. QaController ties it to a session: the snapshot after every
// join, the pushes, and the calls (a question keeps its client id until the hub acknowledges it, so a resend after a
// dropped link never asks twice).
// Only types are imported from the meeting's modules: anything else would be split into chunks shared with the
// meeting code, each one more request on the first load.
import type { HubError, QaSettings, QaSnapshot, QuestionRemovedView, QuestionView } from "./protocol";
import type { MeetingSession } from "./session";

export type QaOrder = "votes" | "time";

export class QaBook {
  private readonly questions = new Map<string, QuestionView>();
  /** Versions of questions removed (hidden) for us, so an older push cannot bring one back. */
  private readonly removed = new Map<string, number>();
  readonly upvoted = new Set<string>();
  settings: QaSettings = { allowAnonymous: false };

  /** A snapshot (join or rejoin): replaces the list, keeping newer versions already pushed. */
  reset(snapshot: QaSnapshot): void {
    const previous = new Map(this.questions);
    this.questions.clear();
    for (const q of snapshot.questions) {
      const known = previous.get(q.questionId);
      this.questions.set(q.questionId, known && known.version > q.version ? known : q);
    }
    this.upvoted.clear();
    for (const id of snapshot.myUpvotes) this.upvoted.add(id);
    this.settings = snapshot.settings;
  }

  /** QuestionUpdated (or a call's answer). Returns false when it is older than what we have. */
  update(q: QuestionView): boolean {
    const known = this.questions.get(q.questionId);
    if (known && known.version >= q.version) return false;
    if ((this.removed.get(q.questionId) ?? -1) >= q.version) return false;
    this.questions.set(q.questionId, q);
    return true;
  }

  /** QuestionRemoved: moderators keep the question (their QuestionUpdated says hidden); others drop it. */
  remove(removed: QuestionRemovedView, moderator: boolean): boolean {
    if (moderator) return false;
    this.removed.set(removed.questionId, removed.version);
    this.upvoted.delete(removed.questionId);
    return this.questions.delete(removed.questionId);
  }

  /** Our own upvote as the hub answered it, and the count it gave. */
  voted(questionId: string, upvoted: boolean, votes: number): void {
    if (upvoted) this.upvoted.add(questionId); else this.upvoted.delete(questionId);
    const known = this.questions.get(questionId);
    if (known) this.questions.set(questionId, { ...known, votes });
  }

  /** The highlighted question first, then open questions, then answered ones; within each by votes (ties: older first) or by time (newest first). */
  sorted(order: QaOrder): QuestionView[] {
    const rank = (q: QuestionView) => (q.highlighted ? 0 : q.answered ? 2 : 1);
    return [...this.questions.values()].sort((a, b) =>
      rank(a) - rank(b) || (order === "votes" ? b.votes - a.votes || a.number - b.number : b.number - a.number));
  }

  get size(): number {
    return this.questions.size;
  }
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 10);

export class QaController {
  readonly book = new QaBook();
  /** Called after every change of what the panel shows. */
  changed: () => void = () => undefined;
  /** Questions sent but not acknowledged: resent with the same client id after a rejoin. */
  private readonly pending = new Map<string, { text: string; anonymous: boolean }>();

  constructor(private readonly session: MeetingSession) {
    const c = session.connection;
    c.on("QuestionUpdated", (q) => this.book.update(q) && this.changed());
    c.on("QuestionRemoved", (r) => this.book.remove(r, session.isModerator) && this.changed());
    c.on("QaSettingsUpdated", (s) => {
      this.book.settings = s;
      this.changed();
    });
    session.on("joined", () => void this.refresh());
    if (session.me) void this.refresh();
  }

  /** The snapshot; then every question still unacknowledged goes again with its id. */
  async refresh(): Promise<void> {
    try {
      this.book.reset(await this.session.connection.invoke("GetQuestions"));
      this.changed();
    } catch {
      return; // a hub without Q&A, or the link dropped again: the next join refreshes
    }
    for (const [id, q] of [...this.pending]) void this.send(id, q.text, q.anonymous).catch(() => undefined);
  }

  async ask(text: string, anonymous: boolean): Promise<void> {
    const id = `${prefix}-${Date.now().toString(36)}-${(++counter).toString(36)}`;
    this.pending.set(id, { text, anonymous });
    await this.send(id, text, anonymous);
  }

  async upvote(questionId: string, up: boolean): Promise<void> {
    const answer = await this.session.connection.invoke(up ? "UpvoteQuestion" : "WithdrawUpvote", questionId);
    this.book.voted(answer.questionId, answer.upvoted, answer.votes);
    this.changed();
  }

  async moderate(call: "SetQuestionAnswered" | "SetQuestionHidden" | "SetQuestionHighlighted", questionId: string, on: boolean): Promise<void> {
    if (this.book.update(await this.session.connection.invoke(call, questionId, on))) this.changed();
  }

  async setAnonymous(allow: boolean): Promise<void> {
    this.book.settings = await this.session.connection.invoke("SetQaSettings", { allowAnonymous: allow });
    this.changed();
  }

  private async send(clientQuestionId: string, text: string, anonymous: boolean): Promise<void> {
    try {
      const q = await this.session.connection.invoke("AskQuestion", { clientQuestionId, text, anonymous });
      this.pending.delete(clientQuestionId);
      if (this.book.update(q)) this.changed();
    } catch (error) {
      // The connection throws HubErrors. A dropped link or an unconfirmed write: kept, and sent again with the same id after the rejoin.
      const code = (error as HubError).code;
      if (code !== "connection" && code !== "unavailable" && code !== "not_joined") this.pending.delete(clientQuestionId);
      throw error;
    }
  }
}
