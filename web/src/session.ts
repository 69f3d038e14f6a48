// One person in one meeting: joining and rejoining with the resume token, the participant list, chat with
// catch-up and resends, polls and ballots, the floor, and link quality. Views subscribe to its events.
import { ChatLog } from "./chat";
import { MeetingConnection, type LinkState } from "./connection";
import { Emitter } from "./emitter";
import { PollBook } from "./polls";
import {
  HubError, type ChatMessage, type CreatePollRequest, type FloorView, type JoinRequest, type JoinResult,
  type LinkFeedbackView, type ParticipantView, type PollView, type Role,
} from "./protocol";

export interface Credentials {
  meetingId: string;
  displayName: string;
  joinCode?: string;
  moderatorKey?: string;
}

export interface PendingMessage { clientMessageId: string; text: string; failed?: string }

export interface Quality { state: LinkState; rttMs?: number; transport: string; lossFraction?: number; profile?: string; detail?: string }

export interface SessionEvents {
  link: [Quality];
  joined: [JoinResult];
  participants: [readonly ParticipantView[]];
  chat: [readonly ChatMessage[]];
  outbox: [readonly PendingMessage[]];
  truncated: [];
  poll: [PollView];
  polls: [readonly PollView[]];
  floor: [FloorView];
  linkFeedback: [LinkFeedbackView];
  audio: [string, Uint8Array];
  ended: [];
  notice: [string];
}

const historyOnJoin = 100;
const catchUpIntervalMs = 15_000;

export class MeetingSession extends Emitter<SessionEvents> {
  readonly connection: MeetingConnection;
  readonly chat: ChatLog;
  readonly polls = new PollBook();
  readonly participants = new Map<string, ParticipantView>();
  /** How many are present; in a large meeting more than the list holds (only moderators get every join). */
  participantCount = 0;
  /** Whether the list is live (pushed joins and leaves); false in a large meeting until fetched with loadParticipants. */
  participantsLive = true;
  me: { participantId: string; displayName: string; role: Role } | undefined;
  title = "";
  floor: FloorView | undefined;
  ended = false;
  private joinedOnce = false;
  private readonly outbox = new Map<string, PendingMessage>();
  private readonly pendingVotes = new Map<string, number[]>();
  private firstJoin: { resolve(): void; reject(error: unknown): void } | undefined;
  private quality: Quality = { state: "connecting", transport: "—" };
  private ticker: number | undefined;
  private messageCounter = 0;
  private readonly clientPrefix = Math.random().toString(36).slice(2, 10);

  constructor(readonly credentials: Credentials, hubUrl = "/hubs/meeting") {
    super();
    this.connection = new MeetingConnection(hubUrl, {
      state: (state, detail) => this.setQuality({ state, ...(detail !== undefined ? { detail } : {}), transport: this.connection.transport }),
      connected: (reconnect) => this.onConnected(reconnect),
    });
    this.chat = new ChatLog((after, limit) => this.timed(() => this.connection.invoke("GetChatSince", after, limit)), {
      appended: (messages) => this.emit("chat", messages),
      truncated: () => this.emit("truncated"),
    });
    this.wire();
  }

  get isModerator(): boolean {
    return this.me?.role === "Moderator";
  }

  get link(): Quality {
    return this.quality;
  }

  /** Connects and joins; rejects with the HubError of a refused first join (wrong code, unknown meeting). */
  start(): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => (this.firstJoin = { resolve, reject }));
    void this.connection.start();
    return joined;
  }

  async leave(): Promise<void> {
    window.clearInterval(this.ticker);
    try {
      await this.connection.invoke("Leave");
    } catch {
      // Leaving is best effort: the hub drops us on disconnect anyway.
    }
    await this.connection.stop();
    sessionStorage.removeItem(tokenKey(this.credentials.meetingId));
  }

  sendChat(text: string): void {
    const clientMessageId = `${this.clientPrefix}-${Date.now().toString(36)}-${(++this.messageCounter).toString(36)}`;
    this.outbox.set(clientMessageId, { clientMessageId, text });
    this.emitOutbox();
    void this.deliver(clientMessageId);
  }

  async vote(pollId: string, optionIndexes: number[]): Promise<void> {
    this.pendingVotes.set(pollId, optionIndexes);
    try {
      const ballot = await this.connection.invoke("Vote", { pollId, optionIndexes });
      this.pendingVotes.delete(pollId);
      this.polls.voted(ballot);
      const poll = this.polls.get(pollId);
      if (poll) this.emit("poll", poll);
    } catch (error) {
      const e = HubError.from(error, "Vote");
      if (e.code !== "connection" && e.code !== "unavailable") this.pendingVotes.delete(pollId);
      throw e;
    }
  }

  async createPoll(request: CreatePollRequest, openNow: boolean): Promise<void> {
    const poll = await this.connection.invoke("CreatePoll", request);
    this.emit("poll", this.polls.update(poll));
    if (openNow) this.emit("poll", this.polls.update(await this.connection.invoke("OpenPoll", poll.pollId)));
  }

  async openPoll(pollId: string): Promise<void> {
    this.emit("poll", this.polls.update(await this.connection.invoke("OpenPoll", pollId)));
  }

  async closePoll(pollId: string): Promise<void> {
    this.emit("poll", this.polls.update(await this.connection.invoke("ClosePoll", pollId)));
  }

  async setHand(raised: boolean): Promise<void> {
    this.upsert(await this.connection.invoke(raised ? "RaiseHand" : "LowerHand"));
  }

  async endMeeting(): Promise<void> {
    await this.connection.invoke("EndMeeting");
    this.onEnded();
  }

  async setAudioReceive(receive: boolean): Promise<void> {
    await this.connection.invoke("SetAudioReceive", receive);
  }

  async floorCall(call: () => Promise<FloorView>): Promise<void> {
    this.applyFloor(await call());
  }

  reportVoice(lossFraction: number | undefined, profile: string | undefined): void {
    const next: Quality = { ...this.quality };
    if (lossFraction === undefined) delete next.lossFraction; else next.lossFraction = lossFraction;
    if (profile === undefined) delete next.profile; else next.profile = profile;
    this.setQuality(next);
  }

  private wire(): void {
    const c = this.connection;
    c.on("ChatMessageReceived", (message) => this.chat.accept(message));
    c.on("ParticipantJoined", (p) => this.upsert(p));
    c.on("ParticipantUpdated", (p) => this.upsert(p));
    c.on("ParticipantLeft", (id) => {
      if (this.participants.delete(id)) {
        if (this.participantsLive) this.participantCount = this.participants.size;
        this.emit("participants", this.participantList());
      }
    });
    c.on("ParticipantCountChanged", (view) => {
      this.participantCount = view.count;
      // Moderators keep getting every join and leave; everyone else only while the meeting is listed.
      const live = view.listed || this.isModerator;
      if (live && !this.participantsLive) {
        this.participantsLive = true;
        void this.loadParticipants();
        return;
      }
      this.participantsLive = live;
      this.emit("participants", this.participantList());
    });
    c.on("PollUpdated", (poll) => this.emit("poll", this.polls.update(poll)));
    c.on("PollTallyUpdated", (tally) => {
      const poll = this.polls.tally(tally);
      if (poll) this.emit("poll", poll);
    });
    c.on("MeetingEnded", () => this.onEnded());
    c.on("FloorUpdated", (floor) => this.applyFloor(floor));
    c.on("LinkFeedback", (feedback) => this.emit("linkFeedback", feedback));
    c.on("AudioReceived", (speakerId, batch) => this.emit("audio", speakerId, batch));
  }

  private async onConnected(reconnect: boolean): Promise<void> {
    if (this.ended) return;
    try {
      const result = await this.join();
      this.apply(result);
      if (!this.joinedOnce) {
        this.joinedOnce = true;
        const history = await this.connection.invoke("GetChatHistory", null, historyOnJoin);
        this.chat.startFrom(history.messages);
        this.ticker = window.setInterval(() => void this.chat.catchUp().catch(() => undefined), catchUpIntervalMs);
        this.firstJoin?.resolve();
        this.firstJoin = undefined;
      }
      await this.chat.catchUp();
      await this.refreshFloor();
      if (reconnect) this.emit("notice", "Reconnected; caught up with the meeting.");
      for (const id of [...this.outbox.keys()]) void this.deliver(id);
      for (const [pollId, indexes] of [...this.pendingVotes]) void this.vote(pollId, indexes).catch(() => undefined);
    } catch (error) {
      const e = HubError.from(error, "Join");
      if (!this.joinedOnce && this.firstJoin && e.code !== "connection") {
        this.firstJoin.reject(e);
        this.firstJoin = undefined;
        await this.connection.stop();
        return;
      }
      if (e.code === "conflict" && /ended/i.test(e.reason)) this.onEnded();
      else this.emit("notice", `Rejoining failed: ${e.reason}`);
    }
  }

  /** The floor as it stands (hubs with audio); hubs without it simply have no floor to show. */
  private async refreshFloor(): Promise<void> {
    try {
      this.applyFloor(await this.connection.invoke("GetFloor"));
    } catch (error) {
      if (HubError.from(error, "GetFloor").code === "connection") throw error;
    }
  }

  private async join(): Promise<JoinResult> {
    const { meetingId, displayName, joinCode, moderatorKey } = this.credentials;
    const token = sessionStorage.getItem(tokenKey(meetingId));
    if (token) {
      try {
        return await this.connection.invoke("Join", { meetingId, resumeToken: token });
      } catch (error) {
        const e = HubError.from(error, "Join");
        if (e.code !== "forbidden") throw e;
        sessionStorage.removeItem(tokenKey(meetingId)); // expired or the key changed: join as new (PROTOCOL §7)
      }
    }
    const request: JoinRequest = { meetingId, displayName };
    if (moderatorKey) request.moderatorKey = moderatorKey; else request.joinCode = joinCode ?? null;
    return this.connection.invoke("Join", request);
  }

  private apply(result: JoinResult): void {
    sessionStorage.setItem(tokenKey(result.meeting.meetingId), result.resumeToken);
    this.me = { participantId: result.participantId, displayName: result.displayName, role: result.role };
    this.title = result.meeting.title;
    this.participants.clear();
    for (const p of result.participants) this.participants.set(p.participantId, p);
    this.participantCount = result.participantCount ?? result.participants.length;
    this.participantsLive = result.participants.length > 0 || this.participantCount === 0;
    this.polls.reset(result.polls, result.myBallots);
    for (const [pollId, indexes] of this.pendingVotes) this.polls.voted({ pollId, optionIndexes: indexes });
    this.emit("joined", result);
    this.emit("participants", this.participantList());
    this.emit("polls", this.polls.all);
    if (result.meeting.ended) this.onEnded();
  }

  private async deliver(clientMessageId: string): Promise<void> {
    const pending = this.outbox.get(clientMessageId);
    if (!pending) return;
    try {
      const stored = await this.connection.invoke("SendChat", { clientMessageId, text: pending.text });
      this.outbox.delete(clientMessageId);
      this.emitOutbox();
      this.chat.accept(stored);
    } catch (error) {
      const e = HubError.from(error, "SendChat");
      // A dropped link or Redis outage: the message may or may not be stored, so it stays and is resent with the
      // same id after the rejoin. Anything else is final: show why.
      if (e.code === "connection" || e.code === "unavailable" || e.code === "not_joined") return;
      pending.failed = e.code === "rate_limited" ? `Slow down: ${e.reason}` : e.reason;
      this.outbox.delete(clientMessageId);
      this.emitOutbox();
      this.emit("notice", `Message not sent: ${pending.failed}`);
    }
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await call();
    this.setQuality({ ...this.quality, rttMs: Math.round(performance.now() - started) });
    return result;
  }

  /** Fetches the whole list (a large meeting's attendees do this on request; it is not kept live above the limit). */
  async loadParticipants(): Promise<void> {
    const list = await this.connection.invoke("GetParticipants");
    this.participants.clear();
    for (const p of list) this.participants.set(p.participantId, p);
    if (this.participantsLive) this.participantCount = list.length;
    this.emit("participants", this.participantList());
  }

  private upsert(p: ParticipantView): void {
    this.participants.set(p.participantId, p);
    if (this.participantsLive) this.participantCount = this.participants.size;
    this.emit("participants", this.participantList());
  }

  private applyFloor(floor: FloorView): void {
    this.floor = floor;
    this.emit("floor", floor);
  }

  private onEnded(): void {
    if (this.ended) return;
    this.ended = true;
    window.clearInterval(this.ticker);
    sessionStorage.removeItem(tokenKey(this.credentials.meetingId));
    this.emit("ended");
    void this.connection.stop();
  }

  private participantList(): ParticipantView[] {
    return [...this.participants.values()].sort((a, b) =>
      a.role !== b.role ? (a.role === "Moderator" ? -1 : 1) : a.displayName.localeCompare(b.displayName));
  }

  private emitOutbox(): void {
    this.emit("outbox", [...this.outbox.values()]);
  }

  private setQuality(next: Quality): void {
    this.quality = { ...next, transport: this.connection.transport };
    this.emit("link", this.quality);
  }
}

const tokenKey = (meetingId: string) => `collab:${meetingId}:resume`;
