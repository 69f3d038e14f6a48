using Collab.Conferencing.Audio;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Collab.Conferencing.Rooms;
using Collab.Conferencing.Speakers;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Hub.Hubs;

/// <summary>
/// The meeting hub's methods (client → server), documented in hub/PROTOCOL.md section 3; the hub implements it and
/// every .NET caller names a method by <c>nameof(IMeetingHub.X)</c> (see <c>Collab.Conferencing.Client</c>). A refused
/// call fails with a <c>HubException</c> whose text ends with <c>code: reason</c> (<see cref="Collab.Conferencing.ConferencingErrorCodes"/>).
/// </summary>
public interface IMeetingHub
{
    /// <summary>Where the hub is mapped.</summary>
    const string Path = "/hubs/meeting";

    Task<JoinResult> Join(JoinRequest request);

    Task Leave();

    Task<MeetingInfo> EndMeeting();

    Task<ParticipantView[]> GetParticipants();

    Task<ParticipantView> RaiseHand();

    Task<ParticipantView> LowerHand();

    Task<ChatMessage> SendChat(SendChatRequest request);

    Task<ChatPage> GetChatHistory(long? beforeSequence, int limit);

    Task<ChatPage> GetChatSince(long afterSequence, int limit);

    Task<PollView> CreatePoll(CreatePollRequest request);

    Task<PollView> OpenPoll(string pollId);

    Task<PollView> ClosePoll(string pollId);

    Task<BallotView> Vote(VoteRequest request);

    Task<PollView[]> GetPolls();

    Task SetAudioReceive(bool receive);

    Task<FloorView> GetFloor();

    Task<FloorView> RequestFloor();

    Task<FloorView> ReleaseFloor();

    Task<FloorView> GrantFloor(string participantId);

    Task<FloorView> RevokeFloor(string participantId);

    Task<FloorView> SetMuted(string participantId, bool muted);

    Task<FloorView> SetFloorMode(SetFloorModeRequest request);

    /// <summary>Call with <c>send</c>: audio needs no completion message per batch.</summary>
    Task PublishAudio(byte[] batch);

    Task ReportReception(ReceptionReportRequest report);

    /// <summary>Opens (or replaces: new key, the old session dead) this connection's voice datagram session on this node.</summary>
    Task<Collab.Conferencing.Voice.VoiceChannelView> OpenVoiceChannel(Collab.Conferencing.Voice.VoiceChannelRequest request);

    /// <summary>Call with <c>send</c>: echoes <see cref="LinkFeedbackView.SentAtMs"/>, no result.</summary>
    void AckLinkFeedback(long sentAtMs);

    Task<LobbyView> GetLobby();

    Task<LobbyView> SetLobby(bool enabled);

    Task<LobbyView> SetLocked(bool locked);

    Task<LobbyView> AdmitWaiter(string waiterId);

    Task<LobbyView> DenyWaiter(string waiterId);

    Task<LobbyView> AdmitAllWaiters();

    Task<LobbyView> DenyAllWaiters();

    Task RemoveParticipant(string participantId);

    Task<QaSnapshot> GetQuestions();

    Task<QuestionView> AskQuestion(AskQuestionRequest request);

    Task<UpvoteView> UpvoteQuestion(string questionId);

    Task<UpvoteView> WithdrawUpvote(string questionId);

    Task<QuestionView> SetQuestionAnswered(string questionId, bool answered);

    Task<QuestionView> SetQuestionHidden(string questionId, bool hidden);

    Task<QuestionView> SetQuestionHighlighted(string questionId, bool highlighted);

    Task<QaSettings> SetQaSettings(QaSettings settings);

    Task<ChatMessage> DeleteChatMessage(long sequence);

    Task<Collab.Conferencing.Moderation.HandsLoweredView> LowerAllHands();

    Task<FloorView> MuteAll();

    Task<ParticipantView> Rename(string displayName);

    Task<ParticipantView> RenameParticipant(string participantId, string displayName);

    Task<ParticipantView> PromoteParticipant(string participantId);

    Task<ParticipantView> DemoteParticipant(string participantId);

    Task<SpeakersView> GetSpeakers();

    Task<SpeakersView> AskToSpeak();

    Task<SpeakersView> WithdrawFromSpeakers();

    Task<SpeakersView> RemoveFromSpeakers(string participantId);

    Task<SpeakersView> NextSpeaker();

    Task<SpeakersView> GiveFloorTo(string participantId);

    Task<SpeakersView> SetSpeakerTimeLimit(int seconds);

    Task<RoomsView> GetRooms();

    Task<RoomsView> CreateRooms(CreateRoomsRequest request);

    Task<RoomLocationView> CreateOpenRoom(CreateOpenRoomRequest request);

    Task<RoomLocationView> JoinRoom(string roomId);

    Task<RoomLocationView> ReturnToMainRoom();

    Task<RoomsView> CloseRoom(string roomId);

    Task<RoomBroadcastView> BroadcastToRooms(BroadcastToRoomsRequest request);

    Task<RoomsView> SetRoomSettings(RoomSettings settings);
}
