// One person in one meeting: joining and rejoining with the resume token, the participant list, chat with
// catch-up and resends, polls and ballots, the floor, and link quality. Views subscribe to its events.
import { describeError, explain, t } from "./i18n";
import { ChatLog } from "./chat";
import { MeetingConnection, type LinkState } from "./connection";
import { Emitter } from "./emitter";
import { PollBook } from "./polls";
import { stored } from "./storage";
import {
  HubError, type ChatMessage, type ChatPage, type CreatePollRequest, type FloorView, type JoinRequest, type JoinResult,
  type LinkFeedbackView, type LobbyView, type ParticipantView, type PollView, type Role, type RoomLocationView,
} from "./protocol";

export interface Credentials {
  meetingId: string;
  displayName: string;
  joinCode?: string;
  moderatorKey?: string;
}

/** A message not yet acknowledged by the hub: waiting since `queuedAt`, held back until `retryAt` when rate limited. */
export interface PendingMessage { clientMessageId: string; text: string; queuedAt: number; retryAt?: number; failed?: string }

/**
 * The link as the user should read it. "connected" only once joined and while frames keep arriving; "stale" when
 * nothing has arrived for two keep-alives; "joining" between a transport coming up and the hub accepting the join;
 * "gone" when the hub no longer knows the meeting; "ended" when a moderator ended it.
 */
export type LinkStatus = LinkState | "joining" | "waiting" | "stale" | "gone" | "ended";

export interface Quality {
  state: LinkStatus; rttMs?: number; transport: string; lossFraction?: number; profile?: string; detail?: string;
  /** How long nothing has arrived (ms), while stale or reconnecting. */
  silentForMs?: number;
  /** Date.now() of the next reconnect attempt, while reconnecting. */
  retryAt?: number;
  /** The browser says it has no network. */
  offline?: boolean;
}

export interface SessionEvents {
  link: [Quality];
  joined: [JoinResult];
  participants: [readonly ParticipantView[]];
  chat: [readonly ChatMessage[]];
  /** A moderator deleted the message with this sequence. */
  chatDeleted: [number];
  outbox: [readonly PendingMessage[]];
  truncated: [];
  poll: [PollView];
  polls: [readonly PollView[]];
  floor: [FloorView];
  linkFeedback: [LinkFeedbackView];
  audio: [string, Uint8Array];
  ended: [];
  gone: [string];
  /** Waiting in the lobby (true) or admitted (false). */
  waiting: [boolean];
  /** Moderators: the lobby and lock. */
  lobby: [LobbyView];
  /** Out of the meeting for good: removed, denied at the lobby, or locked out; the reason to show. */
  excluded: ["removed" | "denied" | "locked", string];
  /** A passing notice, in the interface language (re-read if the language changes while it is shown). */
  notice: [() => string];
  /** I moved to another discussion room (`roomId` null, or no location on a rejoin: the main room); the chat starts over with that room's. */
  room: [RoomLocationView | null];
}

const historyOnJoin = 100;
const catchUpIntervalMs = 15_000;
/** The hub pings every 10 s (PROTOCOL.md §2): past two missed pings the link is shown as stale. */
const staleAfterMs = 21_000;
const unavailableRetryMs = 2_000;
const rejoinRetryMs = 3_000;

const retryDelay = (reason: string) => Number(/retry in (\d+) ms/.exec(reason)?.[1] ?? 1000);

export class MeetingSession extends Emitter<SessionEvents> {
  readonly connection: MeetingConnection;
  /** The chat of the room I am in (a new log, with its own sequences, each time I change rooms). */
  chat: ChatLog;
  /** The discussion room I am in; null: the main room (PROTOCOL.md §14). */
  room: RoomLocationView | null = null;
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
  gone = false;
  waiting = false;
  lobby: LobbyView | undefined;
  private joined = false;
  private joinedOnce = false;
  private pumping = false;
  private pumpTimer: number | undefined;
  private wakePump: (() => void) | undefined;
  private readonly linkTicker: number;
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
      state: (state, detail, retryAt) => {
        if (this.ended || this.gone) return; // the connection closing after the end says nothing new
        if (state !== "connected") this.joined = false;
        this.setQuality({
          ...this.quality, state: state === "connected" ? "joining" : state,
          ...(detail !== undefined ? { detail } : {}), ...(retryAt !== undefined ? { retryAt } : {}),
        });
      },
      connected: (reconnect) => this.onConnected(reconnect),
    });
    // Messages left unacknowledged by a reload or a closed link: the same ids go out again after the join.
    for (const m of stored.outbox(credentials.meetingId)) this.outbox.set(m.clientMessageId, { ...m });
    this.linkTicker = window.setInterval(() => this.refreshLink(), 1000);
    this.chat = this.newChat();
    this.wire();
  }

  private newChat(): ChatLog {
    return new ChatLog((after, limit) => this.timed(() => this.connection.invoke("GetChatSince", after, limit)), {
      appended: (messages) => this.emit("chat", messages),
      truncated: () => this.emit("truncated"),
    });
  }

  /**
   * Into a room or back to the main room: the chat view starts over with that room's history (`history`: the page a
   * join carried for it; otherwise asked for).
   */
  private async enterRoom(location: RoomLocationView | null, history?: ChatPage | null): Promise<void> {
    if ((location?.roomId ?? null) === (this.room?.roomId ?? null)) return;
    this.room = location?.roomId ? location : null;
    this.chat = this.newChat();
    this.emit("room", location);
    if (this.joinedOnce) this.chat.startFrom((history ?? (await this.connection.invoke("GetChatHistory", null, historyOnJoin))).messages);
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

  get pending(): readonly PendingMessage[] {
    return [...this.outbox.values()];
  }

  async leave(): Promise<void> {
    try {
      if (this.joined) await this.connection.invoke("Leave");
    } catch {
      // Leaving is best effort: the hub drops us on disconnect anyway.
    }
    await this.close();
  }

  /** Stops everything without telling the hub (leaving, or a meeting that is gone). */
  async close(): Promise<void> {
    window.clearInterval(this.ticker);
    window.clearInterval(this.linkTicker);
    window.clearTimeout(this.pumpTimer);
    this.wakePump?.();
    await this.connection.stop();
  }

  /** Queues a message: kept in the tab's storage until the hub acknowledges it, sent in order, one at a time. */
  sendChat(text: string): void {
    const clientMessageId = `${this.clientPrefix}-${Date.now().toString(36)}-${(++this.messageCounter).toString(36)}`;
    this.outbox.set(clientMessageId, { clientMessageId, text, queuedAt: Date.now() });
    this.emitOutbox();
    void this.pump();
  }

  /** A refused message: try it again (it goes to the back of the queue) or drop it. */
  retryMessage(clientMessageId: string): void {
    const m = this.outbox.get(clientMessageId);
    if (!m) return;
    this.outbox.delete(clientMessageId);
    delete m.failed;
    delete m.retryAt;
    this.outbox.set(clientMessageId, m);
    this.emitOutbox();
    void this.pump();
  }

  dismissMessage(clientMessageId: string): void {
    if (this.outbox.delete(clientMessageId)) this.emitOutbox();
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

  /** Moderators: delete a chat message for everyone (PROTOCOL.md §11). */
  async deleteChat(sequence: number): Promise<void> {
    await this.connection.invoke("DeleteChatMessage", sequence);
    this.emit("chatDeleted", sequence);
  }

  async lowerAllHands(): Promise<void> {
    await this.connection.invoke("LowerAllHands");
  }

  async muteAll(): Promise<void> {
    this.applyFloor(await this.connection.invoke("MuteAll"));
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
    c.on("ChatMessageDeleted", (deleted) => this.emit("chatDeleted", deleted.sequence));
    c.on("RoomChanged", (location) => void this.enterRoom(location).catch(() => undefined));
    c.on("MeetingEnded", () => this.onEnded());
    c.on("FloorUpdated", (floor) => this.applyFloor(floor));
    c.on("LinkFeedback", (feedback) => this.emit("linkFeedback", feedback));
    c.on("AudioReceived", (speakerId, batch) => this.emit("audio", speakerId, batch));
    c.on("LobbyUpdated", (lobby) => this.applyLobby(lobby));
    // Admitted: the same connection joins again with the token it was given (the hub now knows it as a participant).
    c.on("LobbyAdmitted", () => void this.onConnected(false));
    c.on("LobbyDenied", (reason) => this.onExcluded("denied", reason));
    c.on("RemovedFromMeeting", (reason) => this.onExcluded("removed", reason));
    // Renamed, promoted or demoted (PROTOCOL.md §13): a new role takes a fresh snapshot (what moderators see, or no longer).
    c.on("SelfUpdated", (self) => {
      if (!this.me) return;
      const promoted = self.role !== this.me.role;
      this.me = { ...this.me, displayName: self.displayName, role: self.role };
      if (promoted) void this.join().then((result) => this.apply(result), () => undefined);
      else this.emit("participants", this.participantList());
    });
  }

  /** A moderator's lobby and lock controls, and removing a participant. */
  async lobbyCall(call: () => Promise<LobbyView>): Promise<void> {
    this.applyLobby(await call());
  }

  async removeParticipant(participantId: string): Promise<void> {
    await this.connection.invoke("RemoveParticipant", participantId);
  }

  private applyLobby(lobby: LobbyView): void {
    if (this.lobby && lobby.version < this.lobby.version) return;
    this.lobby = lobby;
    this.emit("lobby", lobby);
  }

  private async onConnected(reconnect: boolean): Promise<void> {
    if (this.ended || this.gone) return;
    try {
      const result = await this.join();
      if (result.waiting) {
        // In the lobby: nothing of the meeting arrives until a moderator admits us (LobbyAdmitted).
        stored.setResumeToken(result.meeting.meetingId, result.resumeToken);
        this.title = result.meeting.title;
        this.waiting = true;
        this.emit("waiting", true);
        this.firstJoin?.resolve();
        this.firstJoin = undefined;
        return;
      }
      if (this.waiting) {
        this.waiting = false;
        this.emit("waiting", false);
      }
      this.apply(result);
      // The join carries the history and the floor (older hubs do not: then ask, as before).
      await this.enterRoom(result.room ?? null, result.chatHistory); // a rejoin comes back to the room I was in
      const first = !this.joinedOnce;
      if (first) {
        this.joinedOnce = true;
        const history = result.chatHistory ?? (await this.connection.invoke("GetChatHistory", null, historyOnJoin));
        this.chat.startFrom(history.messages);
        this.ticker = window.setInterval(() => void this.chat.catchUp().catch(() => undefined), catchUpIntervalMs);
      }
      if (result.floor) this.applyFloor(result.floor);
      if (first) {
        this.firstJoin?.resolve();
        this.firstJoin = undefined;
      }
      // After a first join with the history nothing can be missing (the hub subscribed us before reading it);
      // after a reconnect, catch up from the last sequence seen.
      if (!first || !result.chatHistory) await this.chat.catchUp();
      if (!result.floor) await this.refreshFloor();
      if (reconnect) this.emit("notice", () => t("session.reconnected"));
      void this.pump();
      for (const [pollId, indexes] of [...this.pendingVotes]) void this.vote(pollId, indexes).catch(() => undefined);
    } catch (error) {
      const e = HubError.from(error, "Join");
      if (!this.joinedOnce && this.firstJoin && e.code !== "connection") {
        this.firstJoin.reject(e);
        this.firstJoin = undefined;
        await this.close();
        return;
      }
      if (e.code === "removed" || e.code === "denied" || e.code === "locked") this.onExcluded(e.code, e.reason);
      else if (e.code === "conflict" && /ended/i.test(e.reason)) this.onEnded();
      else if (e.code === "not_found") this.onGone(explain(e));
      else if (e.code !== "connection") {
        // Anything else (the shared store unavailable, say): not joined, so never shown as connected; try again.
        this.joined = false;
        this.setQuality({ ...this.quality, state: "joining", detail: e.reason });
        explain(e);
        this.emit("notice", () => t("session.rejoinFailed", { reason: describeError(e) }));
        window.setTimeout(() => {
          if (this.connection.isConnected && !this.joined) void this.onConnected(true);
        }, rejoinRetryMs);
      }
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
    const token = stored.resumeToken(meetingId);
    if (token) {
      try {
        // The name too: a token from the lobby (not yet admitted) waits again under it.
        return await this.connection.invoke("Join", { meetingId, resumeToken: token, displayName });
      } catch (error) {
        const e = HubError.from(error, "Join");
        // Removed or declined: this token never works again (the join code, where a lobby may hold them, still might).
        if (e.code === "removed" || e.code === "denied") stored.setResumeToken(meetingId, undefined);
        if (e.code !== "forbidden") throw e;
        stored.setResumeToken(meetingId, undefined); // expired or the key changed: join as new (PROTOCOL §7)
      }
    }
    const request: JoinRequest = { meetingId, displayName };
    if (moderatorKey) request.moderatorKey = moderatorKey; else request.joinCode = joinCode ?? null;
    return this.connection.invoke("Join", request);
  }

  private apply(result: JoinResult): void {
    stored.setResumeToken(result.meeting.meetingId, result.resumeToken);
    this.me = { participantId: result.participantId, displayName: result.displayName, role: result.role };
    this.title = result.meeting.title;
    this.participants.clear();
    for (const p of result.participants) this.participants.set(p.participantId, p);
    this.participantCount = result.participantCount ?? result.participants.length;
    this.participantsLive = result.participants.length > 0 || this.participantCount === 0;
    this.polls.reset(result.polls, result.myBallots);
    if (result.lobby) this.applyLobby(result.lobby);
    for (const [pollId, indexes] of this.pendingVotes) this.polls.voted({ pollId, optionIndexes: indexes });
    this.emit("joined", result);
    this.emit("participants", this.participantList());
    this.emit("polls", this.polls.all);
    if (result.meeting.ended) return this.onEnded();
    this.joined = true;
    this.refreshLink();
  }

  /** Sends the outbox in order, one message at a time, while joined; waits out rate limits with the hub's retry time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let guard = 0; guard < 100_000; guard++) {
        if (!this.joined || this.ended || this.gone) return;
        const next = [...this.outbox.values()].find((m) => !m.failed);
        if (!next) return;
        const wait = (next.retryAt ?? 0) - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            this.wakePump = resolve;
            this.pumpTimer = window.setTimeout(resolve, wait);
          });
          this.wakePump = undefined;
          continue;
        }
        try {
          const message = await this.connection.invoke("SendChat", { clientMessageId: next.clientMessageId, text: next.text });
          this.outbox.delete(next.clientMessageId);
          this.emitOutbox();
          this.chat.accept(message);
        } catch (error) {
          const e = HubError.from(error, "SendChat");
          // Refused for now: wait as long as the hub says, then the same message (same id) goes again, still first.
          if (e.code === "rate_limited") next.retryAt = Date.now() + retryDelay(e.reason);
          // The shared store is down: the message may or may not be stored; the same id goes again shortly.
          else if (e.code === "unavailable") next.retryAt = Date.now() + unavailableRetryMs;
          // A dropped link: resent with the same id after the rejoin.
          else if (e.code === "connection" || e.code === "not_joined") return;
          else if (e.code === "conflict" && /ended/i.test(e.reason)) return this.onEnded();
          else if (e.code === "not_found") return this.onGone(explain(e));
          // Anything else is final for this text (too long, chat turned off): kept and shown with the reason.
          else {
            next.failed = explain(e);
            explain(e);
            this.emit("notice", () => t("session.notSent", { reason: describeError(e) }));
          }
          this.emitOutbox();
        }
      }
    } finally {
      this.pumping = false;
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
    this.joined = false;
    stored.setResumeToken(this.credentials.meetingId, undefined);
    this.setQuality({ ...this.quality, state: "ended" });
    this.emit("ended");
    void this.close();
  }

  /** Removed, declined at the lobby, or locked out: stop for good (no rejoin with the code behind the user's back). */
  private onExcluded(why: "removed" | "denied" | "locked", reason: string): void {
    if (this.gone || this.ended) return;
    this.gone = true;
    this.joined = false;
    stored.setResumeToken(this.credentials.meetingId, undefined);
    this.setQuality({ ...this.quality, state: "stopped", detail: reason });
    this.emit("excluded", why, reason);
    void this.close();
  }

  /** The hub no longer knows the meeting (an in-memory hub restarted, or it expired): stop, keep what was typed. */
  private onGone(reason: string): void {
    if (this.gone || this.ended) return;
    this.gone = true;
    this.joined = false;
    stored.setResumeToken(this.credentials.meetingId, undefined);
    this.setQuality({ ...this.quality, state: "gone", detail: reason });
    this.emit("gone", reason);
    void this.close();
  }

  /** The state the indicator shows, from what is joined and what has arrived lately. */
  private refreshLink(): void {
    if (this.ended || this.gone) return;
    const offline = navigator.onLine === false;
    const silentForMs = Math.round(this.connection.silentForMs);
    let state = this.quality.state;
    if (this.connection.isConnected) state = !this.joined ? (this.waiting ? "waiting" : "joining") : silentForMs > staleAfterMs ? "stale" : "connected";
    const next: Quality = { ...this.quality, state, offline, silentForMs };
    if (state === "connected") delete next.detail;
    if (state !== "reconnecting") delete next.retryAt;
    if (next.state !== this.quality.state || next.offline !== this.quality.offline || state !== "connected") this.setQuality(next);
    else this.quality = next;
  }

  private participantList(): ParticipantView[] {
    return [...this.participants.values()].sort((a, b) =>
      a.role !== b.role ? (a.role === "Moderator" ? -1 : 1) : a.displayName.localeCompare(b.displayName));
  }

  private emitOutbox(): void {
    stored.setOutbox(this.credentials.meetingId, [...this.outbox.values()].map(({ clientMessageId, text, queuedAt }) => ({ clientMessageId, text, queuedAt })));
    this.emit("outbox", [...this.outbox.values()]);
  }

  private setQuality(next: Quality): void {
    this.quality = { ...next, transport: this.connection.transport };
    this.emit("link", this.quality);
  }
}
