// Payload shapes of the meeting hub (hub/PROTOCOL.md and /work audio contract), in the JSON (camelCase) spelling.
// MessagePack carries the same maps keyed by the C# names (PascalCase); wire.ts converts at the edge.

export type Role = "Participant" | "Moderator";
export type PollState = "Draft" | "Open" | "Closed";

/** Optional on older hubs (absent means the defaults). */
export interface MeetingSettings { chatEnabled: boolean }
export interface MeetingInfo { meetingId: string; title: string; ended: boolean; settings?: MeetingSettings }
export interface CreatedMeeting { meetingId: string; title: string; joinCode: string; moderatorKey: string; settings?: MeetingSettings }
export interface ParticipantView { participantId: string; displayName: string; role: Role; handRaised: boolean }
/** `deleted`: a moderator deleted it (its text is empty); absent from older hubs. */
export interface ChatMessage { sequence: number; clientMessageId: string; participantId: string; displayName: string; text: string; sentAtUnixMs: number; deleted?: boolean }
export interface ChatPage { messages: ChatMessage[]; hasMore: boolean; truncated: boolean; lastSequence: number }
export interface PollTally { pollId: string; counts: number[]; voters: number; version: number; final: boolean }
export interface PollView { pollId: string; question: string; options: string[]; multipleChoice: boolean; anonymous: boolean; state: PollState; tally: PollTally }
export interface BallotView { pollId: string; optionIndexes: number[] }

export interface JoinRequest { meetingId: string; displayName?: string | null; joinCode?: string | null; moderatorKey?: string | null; resumeToken?: string | null }
export interface JoinResult {
  meeting: MeetingInfo;
  participantId: string;
  displayName: string;
  role: Role;
  resumeToken: string;
  resumed: boolean;
  participants: ParticipantView[];
  polls: PollView[];
  myBallots: BallotView[];
  lastChatSequence: number;
  /** How many are present; over the hub's presence broadcast limit `participants` is empty for all but moderators. */
  participantCount?: number;
  /** Waiting in the lobby: only the identity and token are filled in (PROTOCOL.md §3, Lobby). */
  waiting?: boolean;
  /** Moderators: the lobby and lock. */
  lobby?: LobbyView | null;
  /** The discussion room I am in (null or absent: the main room); `lastChatSequence` is its chat. */
  room?: RoomLocationView | null;
  /** The newest page of that chat (GetChatHistory(null, 100)); absent from older hubs and while waiting. */
  chatHistory?: ChatPage | null;
  /** The floor as GetFloor returns it; absent from older hubs and while waiting. */
  floor?: FloorView | null;
}
export interface WaiterView { waiterId: string; displayName: string; sinceUnixMs: number }
/** Keep the view with the highest version. */
export interface LobbyView { enabled: boolean; locked: boolean; waiting: WaiterView[]; version: number }
/** A large meeting's head count; `listed` says everyone gets joins and leaves again (fetch the list to resume). */
export interface ParticipantCountView { count: number; listed: boolean }
export interface SendChatRequest { clientMessageId: string; text: string }
export interface CreatePollRequest { question: string; options: string[]; multipleChoice: boolean; anonymous: boolean }
export interface VoteRequest { pollId: string; optionIndexes: number[] }

// Audio (the hub audio contract).
export type FloorMode = "OpenMic" | "Moderated";
export interface FloorView { mode: FloorMode; maxSpeakers: number; speakers: string[]; requests: string[]; muted: string[] }
export interface LinkFeedbackView {
  listeners: number; lossFraction: number; meanLossBurstMs: number; lateFraction: number; jitterMs: number;
  concealedFraction: number; worstLossFraction: number; roundTripMs: number; sentAtMs: number;
  /** How long this speaker's audio waited on its way to the hub (hub/PROTOCOL.md §9); absent from older hubs. */
  uplinkDelayMs?: number;
}
export interface ReceptionReportRequest {
  speakerId: string; lossFraction: number; meanLossBurstMs: number; lateFraction: number; jitterMs: number;
  concealedFraction: number; packets: number;
}

// Q&A (hub/PROTOCOL.md §10).
export interface QuestionView {
  questionId: string; number: number; text: string; authorId: string | null; displayName: string | null; anonymous: boolean;
  askedAtUnixMs: number; votes: number; answered: boolean; hidden: boolean; highlighted: boolean; version: number;
}
export interface QuestionRemovedView { questionId: string; version: number }
export interface QaSettings { allowAnonymous: boolean }
export interface QaSnapshot { settings: QaSettings; questions: QuestionView[]; myUpvotes: string[] }
export interface AskQuestionRequest { clientQuestionId: string; text: string; anonymous: boolean }
export interface UpvoteView { questionId: string; upvoted: boolean; votes: number }

// The list of speakers (hub/PROTOCOL.md §12) and participant changes (§13).
export interface QueuedSpeakerView { participantId: string; displayName: string; askedAtUnixMs: number }
export interface SpeakingTimeView { participantId: string; displayName: string; totalMs: number; turns: number; speakingSinceUnixMs: number | null }
/** Keep the view with the highest version; `serverNowUnixMs` is the hub's clock when it was made. */
export interface SpeakersView {
  queue: QueuedSpeakerView[]; times: SpeakingTimeView[]; currentSpeakerId: string | null; timeLimitSeconds: number; version: number; serverNowUnixMs: number;
}
export interface SelfView { participantId: string; displayName: string; role: Role }
// Discussion rooms (hub/PROTOCOL.md §14).
export interface RoomSettings { selfOrganised: boolean }
export interface RoomMemberView { participantId: string; displayName: string }
export interface RoomView {
  roomId: string; name: string; open: boolean; createdBy: string; createdAtUnixMs: number; closesAtUnixMs: number | null;
  assigned: string[]; members: RoomMemberView[];
}
export interface RoomsView { settings: RoomSettings; rooms: RoomView[]; version: number }
export type RoomMoveReason = "Joined" | "Left" | "Assigned" | "Closed" | "TimerEnded";
export interface RoomLocationView { roomId: string | null; roomName: string | null; reason: RoomMoveReason; lastChatSequence: number }
export interface RoomBroadcastView { participantId: string; displayName: string; text: string; sentAtUnixMs: number; rooms: number }
export interface CreateRoomsRequest { rooms: { name: string; participantIds?: string[] }[]; timerSeconds?: number | null }

/** Server → client callbacks, by name, with their argument lists. */
export interface HubCallbacks {
  ChatMessageReceived: [ChatMessage];
  ParticipantJoined: [ParticipantView];
  ParticipantUpdated: [ParticipantView];
  ParticipantLeft: [string];
  ParticipantCountChanged: [ParticipantCountView];
  PollUpdated: [PollView];
  PollTallyUpdated: [PollTally];
  MeetingEnded: [string];
  AudioReceived: [string, Uint8Array];
  FloorUpdated: [FloorView];
  LinkFeedback: [LinkFeedbackView];
  LobbyUpdated: [LobbyView];
  LobbyAdmitted: [string];
  LobbyDenied: [string];
  RemovedFromMeeting: [string];
  QuestionUpdated: [QuestionView];
  QuestionRemoved: [QuestionRemovedView];
  QaSettingsUpdated: [QaSettings];
  ChatMessageDeleted: [{ sequence: number }];
  SelfUpdated: [SelfView];
  SpeakersUpdated: [SpeakersView];
  RoomsUpdated: [RoomsView];
  RoomChanged: [RoomLocationView];
  RoomBroadcast: [RoomBroadcastView];
}

/** Client → server methods: arguments and result. */
export interface HubMethods {
  Join: { args: [JoinRequest]; result: JoinResult };
  Leave: { args: []; result: void };
  EndMeeting: { args: []; result: MeetingInfo };
  GetParticipants: { args: []; result: ParticipantView[] };
  RaiseHand: { args: []; result: ParticipantView };
  LowerHand: { args: []; result: ParticipantView };
  SendChat: { args: [SendChatRequest]; result: ChatMessage };
  GetChatHistory: { args: [number | null, number]; result: ChatPage };
  GetChatSince: { args: [number, number]; result: ChatPage };
  CreatePoll: { args: [CreatePollRequest]; result: PollView };
  OpenPoll: { args: [string]; result: PollView };
  ClosePoll: { args: [string]; result: PollView };
  Vote: { args: [VoteRequest]; result: BallotView };
  GetPolls: { args: []; result: PollView[] };
  SetAudioReceive: { args: [boolean]; result: void };
  GetFloor: { args: []; result: FloorView };
  RequestFloor: { args: []; result: FloorView };
  ReleaseFloor: { args: []; result: FloorView };
  GrantFloor: { args: [string]; result: FloorView };
  RevokeFloor: { args: [string]; result: FloorView };
  SetMuted: { args: [string, boolean]; result: FloorView };
  SetFloorMode: { args: [{ mode: FloorMode; maxSpeakers: number }]; result: FloorView };
  ReportReception: { args: [ReceptionReportRequest]; result: void };
  AckLinkFeedback: { args: [number]; result: void };
  SetLobby: { args: [boolean]; result: LobbyView };
  SetLocked: { args: [boolean]; result: LobbyView };
  AdmitWaiter: { args: [string]; result: LobbyView };
  DenyWaiter: { args: [string]; result: LobbyView };
  AdmitAllWaiters: { args: []; result: LobbyView };
  DenyAllWaiters: { args: []; result: LobbyView };
  RemoveParticipant: { args: [string]; result: void };
  GetQuestions: { args: []; result: QaSnapshot };
  AskQuestion: { args: [AskQuestionRequest]; result: QuestionView };
  UpvoteQuestion: { args: [string]; result: UpvoteView };
  WithdrawUpvote: { args: [string]; result: UpvoteView };
  SetQuestionAnswered: { args: [string, boolean]; result: QuestionView };
  SetQuestionHidden: { args: [string, boolean]; result: QuestionView };
  SetQuestionHighlighted: { args: [string, boolean]; result: QuestionView };
  SetQaSettings: { args: [QaSettings]; result: QaSettings };
  DeleteChatMessage: { args: [number]; result: ChatMessage };
  LowerAllHands: { args: []; result: { lowered: number } };
  MuteAll: { args: []; result: FloorView };
  Rename: { args: [string]; result: ParticipantView };
  RenameParticipant: { args: [string, string]; result: ParticipantView };
  PromoteParticipant: { args: [string]; result: ParticipantView };
  DemoteParticipant: { args: [string]; result: ParticipantView };
  GetSpeakers: { args: []; result: SpeakersView };
  AskToSpeak: { args: []; result: SpeakersView };
  WithdrawFromSpeakers: { args: []; result: SpeakersView };
  NextSpeaker: { args: []; result: SpeakersView };
  GiveFloorTo: { args: [string]; result: SpeakersView };
  RemoveFromSpeakers: { args: [string]; result: SpeakersView };
  SetSpeakerTimeLimit: { args: [number]; result: SpeakersView };
  GetRooms: { args: []; result: RoomsView };
  CreateRooms: { args: [CreateRoomsRequest]; result: RoomsView };
  CreateOpenRoom: { args: [{ name: string }]; result: RoomLocationView };
  JoinRoom: { args: [string]; result: RoomLocationView };
  ReturnToMainRoom: { args: []; result: RoomLocationView };
  CloseRoom: { args: [string]; result: RoomsView };
  BroadcastToRooms: { args: [{ clientMessageId: string; text: string }]; result: RoomBroadcastView };
  SetRoomSettings: { args: [RoomSettings]; result: RoomsView };
  OpenVoiceChannel: { args: [VoiceChannelRequest]; result: VoiceChannelView };
}

/** OpenVoiceChannel (PROTOCOL.md, "Voice datagrams"): a browser sends its non-trickle SDP offer; .NET clients send null. */
export interface VoiceChannelRequest { offer: string | null }
/** For an offer only sessionId and the media edge's answer are set; the key stays between the hub and its edge. */
export interface VoiceChannelView { sessionId: Uint8Array; key: Uint8Array | null; host: string | null; port: number | null; answer: string | null }

/** Fire-and-forget methods (connection.send). */
export interface HubSends {
  PublishAudio: [Uint8Array];
  ReportReception: [ReceptionReportRequest];
  AckLinkFeedback: [number];
}

/** A refused hub call: the code and reason after "HubException: " (PROTOCOL.md §6). */
export class HubError extends Error {
  constructor(readonly code: string, readonly reason: string, readonly method: string) {
    super(reason);
    this.name = "HubError";
  }

  static from(error: unknown, method: string): HubError {
    if (error instanceof HubError) return error;
    const text = error instanceof Error ? error.message : String(error);
    const marker = "HubException: ";
    const at = text.indexOf(marker);
    if (at >= 0) {
      const rest = text.slice(at + marker.length);
      const colon = rest.indexOf(":");
      if (colon > 0) return new HubError(rest.slice(0, colon).trim(), rest.slice(colon + 1).trim(), method);
    }
    if (/Method does not exist/i.test(text)) return new HubError("unsupported", `This hub does not offer ${method} yet.`, method);
    return new HubError("connection", text, method);
  }
}
