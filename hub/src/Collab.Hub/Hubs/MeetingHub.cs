using Collab.Conferencing;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Collab.Conferencing.Rooms;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Hubs;

/// <summary>
/// The meeting hub at <c>/hubs/meeting</c>. Each method makes one call into a conferencing service; domain refusals
/// become <see cref="HubException"/>s in <see cref="ConferencingHubFilter"/>, which also applies the rules the
/// attributes declare (what an ended meeting accepts, participant ids of the caller's meeting, rate limits). The
/// contract is hub/PROTOCOL.md.
/// </summary>
public sealed class MeetingHub(
    MeetingService meetings,
    ChatService chat,
    PollService polls,
    PresenceService presence,
    QaService qa,
    Collab.Conferencing.Moderation.ModerationService moderation,
    FloorService floor,
    AudioRelay audio,
    ConferencingMetrics metrics,
    LobbyService lobby,
    ParticipantRemoval removal,
    Collab.Conferencing.Participants.ParticipantChangeService participants,
    Collab.Conferencing.Speakers.SpeakersService speakers,
    RoomService rooms,
    Voice.VoiceChannelService voice) : Hub<IMeetingClient>, IMeetingHub
{
    public const string Path = IMeetingHub.Path;

    public override Task OnConnectedAsync()
    {
        metrics.ConnectionOpened();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ConnectionClosed();
        return meetings.DisconnectAsync(Context.ConnectionId);
    }

    [AllowedAfterEnd]
    [AllowedWhileWaiting]
    public Task<JoinResult> Join(JoinRequest request) => meetings.JoinAsync(Context.ConnectionId, request);

    [AllowedAfterEnd]
    [AllowedWhileWaiting]
    public Task Leave() => meetings.LeaveAsync(Context.ConnectionId);

    [AllowedAfterEnd]
    [ModeratorOnly("end the meeting")]
    public Task<MeetingInfo> EndMeeting() => meetings.EndAsync(Context.ConnectionId);

    [AllowedAfterEnd]
    public Task<ParticipantView[]> GetParticipants() => meetings.GetParticipantsAsync(Context.ConnectionId, Context.ConnectionAborted);

    public Task<ParticipantView> RaiseHand() => presence.SetHandAsync(Context.ConnectionId, raised: true);

    public Task<ParticipantView> LowerHand() => presence.SetHandAsync(Context.ConnectionId, raised: false);

    [ParticipantRateLimit(RateLimitKind.Chat)]
    public Task<ChatMessage> SendChat(SendChatRequest request) => chat.SendAsync(Context.ConnectionId, request);

    [AllowedAfterEnd]
    public Task<ChatPage> GetChatHistory(long? beforeSequence, int limit) => chat.GetHistoryAsync(Context.ConnectionId, beforeSequence, limit, Context.ConnectionAborted);

    [AllowedAfterEnd]
    public Task<ChatPage> GetChatSince(long afterSequence, int limit) => chat.GetSinceAsync(Context.ConnectionId, afterSequence, limit, Context.ConnectionAborted);

    [ModeratorOnly("create a poll")]
    public Task<PollView> CreatePoll(CreatePollRequest request) => polls.CreateAsync(Context.ConnectionId, request);

    [ModeratorOnly("open a poll")]
    public Task<PollView> OpenPoll(string pollId) => polls.OpenAsync(Context.ConnectionId, pollId);

    [ModeratorOnly("close a poll")]
    public Task<PollView> ClosePoll(string pollId) => polls.CloseAsync(Context.ConnectionId, pollId);

    [ParticipantRateLimit(RateLimitKind.Vote)]
    public Task<BallotView> Vote(VoteRequest request) => polls.VoteAsync(Context.ConnectionId, request);

    [AllowedAfterEnd]
    public Task<PollView[]> GetPolls() => polls.GetPollsAsync(Context.ConnectionId, Context.ConnectionAborted);

    [AllowedAfterEnd]
    public Task SetAudioReceive(bool receive) => audio.SetReceivingAsync(Context.ConnectionId, receive);

    [AllowedAfterEnd]
    public Task<FloorView> GetFloor() => floor.GetAsync(Context.ConnectionId, Context.ConnectionAborted);

    public Task<FloorView> RequestFloor() => floor.RequestAsync(Context.ConnectionId);

    public Task<FloorView> ReleaseFloor() => floor.ReleaseAsync(Context.ConnectionId);

    [ModeratorOnly("grant the floor")]
    public Task<FloorView> GrantFloor([MeetingParticipant] string participantId) => floor.GrantAsync(Context.ConnectionId, participantId);

    [ModeratorOnly("revoke the floor")]
    public Task<FloorView> RevokeFloor([MeetingParticipant] string participantId) => floor.RevokeAsync(Context.ConnectionId, participantId);

    [ModeratorOnly("mute someone", ActionWhenFalse = "unmute someone")]
    public Task<FloorView> SetMuted([MeetingParticipant] string participantId, bool muted) => floor.SetMutedAsync(Context.ConnectionId, participantId, muted);

    [ModeratorOnly("change the floor mode")]
    public Task<FloorView> SetFloorMode(SetFloorModeRequest request) => floor.SetModeAsync(Context.ConnectionId, request);

    /// <summary>Call with <c>send</c>: audio needs no completion message per batch.</summary>
    public Task PublishAudio(byte[] batch) => audio.PublishAsync(Context.ConnectionId, batch);

    [AllowedAfterEnd]
    public Task ReportReception(ReceptionReportRequest report) => audio.ReportReceptionAsync(Context.ConnectionId, report);

    [ParticipantRateLimit(RateLimitKind.Participation)]
    public Task<Collab.Conferencing.Voice.VoiceChannelView> OpenVoiceChannel(Collab.Conferencing.Voice.VoiceChannelRequest request) =>
        voice.OpenAsync(Context.ConnectionId, request, Context.ConnectionAborted);

    [AllowedAfterEnd]
    public void AckLinkFeedback(long sentAtMs) => audio.AcknowledgeFeedback(Context.ConnectionId, sentAtMs);

    [ModeratorOnly("see the lobby")]
    public Task<LobbyView> GetLobby() => lobby.GetAsync(Context.ConnectionId, Context.ConnectionAborted);

    [ModeratorOnly("turn the lobby on", ActionWhenFalse = "turn the lobby off")]
    public Task<LobbyView> SetLobby(bool enabled) => lobby.SetEnabledAsync(Context.ConnectionId, enabled);

    [ModeratorOnly("lock the meeting", ActionWhenFalse = "unlock the meeting")]
    public Task<LobbyView> SetLocked(bool locked) => lobby.SetLockedAsync(Context.ConnectionId, locked);

    [ModeratorOnly("admit people from the lobby")]
    public Task<LobbyView> AdmitWaiter(string waiterId) => lobby.AdmitAsync(Context.ConnectionId, waiterId);

    [ModeratorOnly("decline people in the lobby")]
    public Task<LobbyView> DenyWaiter(string waiterId) => lobby.DenyAsync(Context.ConnectionId, waiterId);

    [ModeratorOnly("admit people from the lobby")]
    public Task<LobbyView> AdmitAllWaiters() => lobby.AdmitAllAsync(Context.ConnectionId);

    [ModeratorOnly("decline people in the lobby")]
    public Task<LobbyView> DenyAllWaiters() => lobby.DenyAllAsync(Context.ConnectionId);

    [ModeratorOnly("remove a participant")]
    public Task RemoveParticipant([MeetingParticipant] string participantId) => removal.RemoveAsync(Context.ConnectionId, participantId);

    [AllowedAfterEnd]
    public Task<QaSnapshot> GetQuestions() => qa.GetAsync(Context.ConnectionId, Context.ConnectionAborted);

    [ParticipantRateLimit(RateLimitKind.Question)]
    public Task<QuestionView> AskQuestion(AskQuestionRequest request) => qa.AskAsync(Context.ConnectionId, request);

    [ParticipantRateLimit(RateLimitKind.Vote)]
    public Task<UpvoteView> UpvoteQuestion(string questionId) => qa.SetUpvoteAsync(Context.ConnectionId, questionId, upvote: true);

    [ParticipantRateLimit(RateLimitKind.Vote)]
    public Task<UpvoteView> WithdrawUpvote(string questionId) => qa.SetUpvoteAsync(Context.ConnectionId, questionId, upvote: false);

    [ModeratorOnly("mark a question answered")]
    public Task<QuestionView> SetQuestionAnswered(string questionId, bool answered) =>
        qa.ChangeAsync(Context.ConnectionId, questionId, answered ? QuestionChange.MarkAnswered : QuestionChange.Reopen);

    [ModeratorOnly("hide a question")]
    public Task<QuestionView> SetQuestionHidden(string questionId, bool hidden) =>
        qa.ChangeAsync(Context.ConnectionId, questionId, hidden ? QuestionChange.Hide : QuestionChange.Show);

    [ModeratorOnly("highlight a question")]
    public Task<QuestionView> SetQuestionHighlighted(string questionId, bool highlighted) =>
        qa.ChangeAsync(Context.ConnectionId, questionId, highlighted ? QuestionChange.Highlight : QuestionChange.Unhighlight);

    [ModeratorOnly("change the Q&A settings")]
    public Task<QaSettings> SetQaSettings(QaSettings settings) => qa.SetSettingsAsync(Context.ConnectionId, settings);

    [ModeratorOnly("delete a chat message")]
    public Task<ChatMessage> DeleteChatMessage(long sequence) => moderation.DeleteChatMessageAsync(Context.ConnectionId, sequence);

    [ModeratorOnly("lower everyone's hand")]
    public Task<Collab.Conferencing.Moderation.HandsLoweredView> LowerAllHands() => moderation.LowerAllHandsAsync(Context.ConnectionId);

    [ModeratorOnly("mute everyone")]
    public Task<FloorView> MuteAll() => moderation.MuteAllAsync(Context.ConnectionId);

    [ParticipantRateLimit(RateLimitKind.Participation)]
    public Task<ParticipantView> Rename(string displayName) => participants.RenameSelfAsync(Context.ConnectionId, displayName);

    [ModeratorOnly("rename someone")]
    public Task<ParticipantView> RenameParticipant([MeetingParticipant] string participantId, string displayName) =>
        participants.RenameAsync(Context.ConnectionId, participantId, displayName);

    [ModeratorOnly("make someone a moderator")]
    public Task<ParticipantView> PromoteParticipant([MeetingParticipant] string participantId) => participants.PromoteAsync(Context.ConnectionId, participantId);

    [ModeratorOnly("demote a moderator")]
    public Task<ParticipantView> DemoteParticipant([MeetingParticipant] string participantId) => participants.DemoteAsync(Context.ConnectionId, participantId);

    [AllowedAfterEnd]
    public Task<Collab.Conferencing.Speakers.SpeakersView> GetSpeakers() => speakers.GetAsync(Context.ConnectionId, Context.ConnectionAborted);

    [ParticipantRateLimit(RateLimitKind.Participation)]
    public Task<Collab.Conferencing.Speakers.SpeakersView> AskToSpeak() => speakers.AskAsync(Context.ConnectionId);

    [ParticipantRateLimit(RateLimitKind.Participation)]
    public Task<Collab.Conferencing.Speakers.SpeakersView> WithdrawFromSpeakers() => speakers.WithdrawAsync(Context.ConnectionId);

    [ModeratorOnly("take someone off the list of speakers")]
    public Task<Collab.Conferencing.Speakers.SpeakersView> RemoveFromSpeakers([MeetingParticipant] string participantId) =>
        speakers.RemoveAsync(Context.ConnectionId, participantId);

    [ModeratorOnly("give the floor to the next speaker")]
    public Task<Collab.Conferencing.Speakers.SpeakersView> NextSpeaker() => speakers.GiveFloorAsync(Context.ConnectionId, participantId: null);

    [ModeratorOnly("give the floor to a speaker")]
    public Task<Collab.Conferencing.Speakers.SpeakersView> GiveFloorTo([MeetingParticipant] string participantId) =>
        speakers.GiveFloorAsync(Context.ConnectionId, participantId);

    [ModeratorOnly("set the speaking time limit")]
    public Task<Collab.Conferencing.Speakers.SpeakersView> SetSpeakerTimeLimit(int seconds) => speakers.SetTimeLimitAsync(Context.ConnectionId, seconds);

    [AllowedAfterEnd]
    public Task<RoomsView> GetRooms() => rooms.GetAsync(Context.ConnectionId, Context.ConnectionAborted);

    [ModeratorOnly("create rooms")]
    public Task<RoomsView> CreateRooms(CreateRoomsRequest request) => rooms.CreateAsync(Context.ConnectionId, request);

    [ParticipantRateLimit(RateLimitKind.Chat)]
    public Task<RoomLocationView> CreateOpenRoom(CreateOpenRoomRequest request) => rooms.CreateOpenAsync(Context.ConnectionId, request);

    [ParticipantRateLimit(RateLimitKind.Chat)]
    public Task<RoomLocationView> JoinRoom(string roomId) => rooms.JoinAsync(Context.ConnectionId, roomId);

    [ParticipantRateLimit(RateLimitKind.Chat)]
    public Task<RoomLocationView> ReturnToMainRoom() => rooms.ReturnToMainAsync(Context.ConnectionId);

    [ModeratorOnly("close a room")]
    public Task<RoomsView> CloseRoom(string roomId) => rooms.CloseAsync(Context.ConnectionId, roomId);

    [ModeratorOnly("broadcast to the rooms")]
    [ParticipantRateLimit(RateLimitKind.Chat)]
    public Task<RoomBroadcastView> BroadcastToRooms(BroadcastToRoomsRequest request) => rooms.BroadcastAsync(Context.ConnectionId, request);

    [ModeratorOnly("change the room settings")]
    public Task<RoomsView> SetRoomSettings(RoomSettings settings) => rooms.SetSettingsAsync(Context.ConnectionId, settings);
}
