using Collab.Conferencing.Audio;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Collab.Conferencing.Rooms;
using Collab.Conferencing.Speakers;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Conferencing.Client;

/// <summary>
/// Typed calls of every <see cref="IMeetingHub"/> method over a connection (<see cref="MeetingHubConnection.Build"/>):
/// <c>XAsync</c> invokes <c>X</c> and returns its result; a refusal throws the <c>HubException</c> SignalR raises
/// (read it with <see cref="MeetingRefusal.Parse"/>). A method added to <see cref="IMeetingHub"/> gets its line here.
/// </summary>
public static class MeetingHubCalls
{
    public static Task<JoinResult> JoinAsync(this HubConnection connection, JoinRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<JoinResult>(nameof(IMeetingHub.Join), request, cancellationToken);

    public static Task LeaveAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(nameof(IMeetingHub.Leave), cancellationToken);

    public static Task<MeetingInfo> EndMeetingAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<MeetingInfo>(nameof(IMeetingHub.EndMeeting), cancellationToken);

    public static Task<ParticipantView[]> GetParticipantsAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView[]>(nameof(IMeetingHub.GetParticipants), cancellationToken);

    public static Task<ParticipantView> RaiseHandAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.RaiseHand), cancellationToken);

    public static Task<ParticipantView> LowerHandAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.LowerHand), cancellationToken);

    public static Task<ChatMessage> SendChatAsync(this HubConnection connection, SendChatRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ChatMessage>(nameof(IMeetingHub.SendChat), request, cancellationToken);

    public static Task<ChatPage> GetChatHistoryAsync(this HubConnection connection, long? beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ChatPage>(nameof(IMeetingHub.GetChatHistory), beforeSequence, limit, cancellationToken);

    public static Task<ChatPage> GetChatSinceAsync(this HubConnection connection, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ChatPage>(nameof(IMeetingHub.GetChatSince), afterSequence, limit, cancellationToken);

    public static Task<PollView> CreatePollAsync(this HubConnection connection, CreatePollRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<PollView>(nameof(IMeetingHub.CreatePoll), request, cancellationToken);

    public static Task<PollView> OpenPollAsync(this HubConnection connection, string pollId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<PollView>(nameof(IMeetingHub.OpenPoll), pollId, cancellationToken);

    public static Task<PollView> ClosePollAsync(this HubConnection connection, string pollId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<PollView>(nameof(IMeetingHub.ClosePoll), pollId, cancellationToken);

    public static Task<BallotView> VoteAsync(this HubConnection connection, VoteRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<BallotView>(nameof(IMeetingHub.Vote), request, cancellationToken);

    public static Task<PollView[]> GetPollsAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<PollView[]>(nameof(IMeetingHub.GetPolls), cancellationToken);

    public static Task SetAudioReceiveAsync(this HubConnection connection, bool receive, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(nameof(IMeetingHub.SetAudioReceive), receive, cancellationToken);

    public static Task<FloorView> GetFloorAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.GetFloor), cancellationToken);

    public static Task<FloorView> RequestFloorAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.RequestFloor), cancellationToken);

    public static Task<FloorView> ReleaseFloorAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.ReleaseFloor), cancellationToken);

    public static Task<FloorView> GrantFloorAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.GrantFloor), participantId, cancellationToken);

    public static Task<FloorView> RevokeFloorAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.RevokeFloor), participantId, cancellationToken);

    public static Task<FloorView> SetMutedAsync(this HubConnection connection, string participantId, bool muted, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.SetMuted), participantId, muted, cancellationToken);

    public static Task<FloorView> SetFloorModeAsync(this HubConnection connection, SetFloorModeRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.SetFloorMode), request, cancellationToken);

    /// <summary><c>OpenVoiceChannel</c>: this connection's voice datagram session (use <see cref="VoiceDatagramChannel"/> rather than calling it yourself).</summary>
    public static Task<Collab.Conferencing.Voice.VoiceChannelView> OpenVoiceChannelAsync(this HubConnection connection, Collab.Conferencing.Voice.VoiceChannelRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<Collab.Conferencing.Voice.VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), request, cancellationToken);

    /// <summary><c>PublishAudio</c>, sent without waiting for a completion (the hub answers none).</summary>
    public static Task PublishAudioAsync(this HubConnection connection, byte[] batch, CancellationToken cancellationToken = default) =>
        connection.SendAsync(nameof(IMeetingHub.PublishAudio), batch, cancellationToken);

    public static Task ReportReceptionAsync(this HubConnection connection, ReceptionReportRequest report, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(nameof(IMeetingHub.ReportReception), report, cancellationToken);

    /// <summary><c>ReportReception</c> without waiting for its completion (a periodic report; the next one supersedes it).</summary>
    public static Task SendReportReceptionAsync(this HubConnection connection, ReceptionReportRequest report, CancellationToken cancellationToken = default) =>
        connection.SendAsync(nameof(IMeetingHub.ReportReception), report, cancellationToken);

    /// <summary><c>AckLinkFeedback</c>, sent without waiting for a completion (the hub answers none).</summary>
    public static Task AckLinkFeedbackAsync(this HubConnection connection, long sentAtMs, CancellationToken cancellationToken = default) =>
        connection.SendAsync(nameof(IMeetingHub.AckLinkFeedback), sentAtMs, cancellationToken);

    public static Task<LobbyView> GetLobbyAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.GetLobby), cancellationToken);

    public static Task<LobbyView> SetLobbyAsync(this HubConnection connection, bool enabled, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.SetLobby), enabled, cancellationToken);

    public static Task<LobbyView> SetLockedAsync(this HubConnection connection, bool locked, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.SetLocked), locked, cancellationToken);

    public static Task<LobbyView> AdmitWaiterAsync(this HubConnection connection, string waiterId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.AdmitWaiter), waiterId, cancellationToken);

    public static Task<LobbyView> DenyWaiterAsync(this HubConnection connection, string waiterId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.DenyWaiter), waiterId, cancellationToken);

    public static Task<LobbyView> AdmitAllWaitersAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.AdmitAllWaiters), cancellationToken);

    public static Task<LobbyView> DenyAllWaitersAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LobbyView>(nameof(IMeetingHub.DenyAllWaiters), cancellationToken);

    public static Task RemoveParticipantAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(nameof(IMeetingHub.RemoveParticipant), participantId, cancellationToken);

    public static Task<QaSnapshot> GetQuestionsAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QaSnapshot>(nameof(IMeetingHub.GetQuestions), cancellationToken);

    public static Task<QuestionView> AskQuestionAsync(this HubConnection connection, AskQuestionRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QuestionView>(nameof(IMeetingHub.AskQuestion), request, cancellationToken);

    public static Task<UpvoteView> UpvoteQuestionAsync(this HubConnection connection, string questionId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<UpvoteView>(nameof(IMeetingHub.UpvoteQuestion), questionId, cancellationToken);

    public static Task<UpvoteView> WithdrawUpvoteAsync(this HubConnection connection, string questionId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<UpvoteView>(nameof(IMeetingHub.WithdrawUpvote), questionId, cancellationToken);

    public static Task<QuestionView> SetQuestionAnsweredAsync(this HubConnection connection, string questionId, bool answered, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QuestionView>(nameof(IMeetingHub.SetQuestionAnswered), questionId, answered, cancellationToken);

    public static Task<QuestionView> SetQuestionHiddenAsync(this HubConnection connection, string questionId, bool hidden, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QuestionView>(nameof(IMeetingHub.SetQuestionHidden), questionId, hidden, cancellationToken);

    public static Task<QuestionView> SetQuestionHighlightedAsync(this HubConnection connection, string questionId, bool highlighted, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QuestionView>(nameof(IMeetingHub.SetQuestionHighlighted), questionId, highlighted, cancellationToken);

    public static Task<QaSettings> SetQaSettingsAsync(this HubConnection connection, QaSettings settings, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<QaSettings>(nameof(IMeetingHub.SetQaSettings), settings, cancellationToken);

    public static Task<ChatMessage> DeleteChatMessageAsync(this HubConnection connection, long sequence, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ChatMessage>(nameof(IMeetingHub.DeleteChatMessage), sequence, cancellationToken);

    public static Task<Collab.Conferencing.Moderation.HandsLoweredView> LowerAllHandsAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<Collab.Conferencing.Moderation.HandsLoweredView>(nameof(IMeetingHub.LowerAllHands), cancellationToken);

    public static Task<FloorView> MuteAllAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<FloorView>(nameof(IMeetingHub.MuteAll), cancellationToken);

    public static Task<ParticipantView> RenameAsync(this HubConnection connection, string displayName, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.Rename), displayName, cancellationToken);

    public static Task<ParticipantView> RenameParticipantAsync(this HubConnection connection, string participantId, string displayName, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.RenameParticipant), participantId, displayName, cancellationToken);

    public static Task<ParticipantView> PromoteParticipantAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.PromoteParticipant), participantId, cancellationToken);

    public static Task<ParticipantView> DemoteParticipantAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<ParticipantView>(nameof(IMeetingHub.DemoteParticipant), participantId, cancellationToken);

    public static Task<SpeakersView> GetSpeakersAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.GetSpeakers), cancellationToken);

    public static Task<SpeakersView> AskToSpeakAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.AskToSpeak), cancellationToken);

    public static Task<SpeakersView> WithdrawFromSpeakersAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.WithdrawFromSpeakers), cancellationToken);

    public static Task<SpeakersView> RemoveFromSpeakersAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.RemoveFromSpeakers), participantId, cancellationToken);

    public static Task<SpeakersView> NextSpeakerAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.NextSpeaker), cancellationToken);

    public static Task<SpeakersView> GiveFloorToAsync(this HubConnection connection, string participantId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.GiveFloorTo), participantId, cancellationToken);

    public static Task<SpeakersView> SetSpeakerTimeLimitAsync(this HubConnection connection, int seconds, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<SpeakersView>(nameof(IMeetingHub.SetSpeakerTimeLimit), seconds, cancellationToken);

    public static Task<RoomsView> GetRoomsAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomsView>(nameof(IMeetingHub.GetRooms), cancellationToken);

    public static Task<RoomsView> CreateRoomsAsync(this HubConnection connection, CreateRoomsRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomsView>(nameof(IMeetingHub.CreateRooms), request, cancellationToken);

    public static Task<RoomLocationView> CreateOpenRoomAsync(this HubConnection connection, CreateOpenRoomRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomLocationView>(nameof(IMeetingHub.CreateOpenRoom), request, cancellationToken);

    public static Task<RoomLocationView> JoinRoomAsync(this HubConnection connection, string roomId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomLocationView>(nameof(IMeetingHub.JoinRoom), roomId, cancellationToken);

    public static Task<RoomLocationView> ReturnToMainRoomAsync(this HubConnection connection, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomLocationView>(nameof(IMeetingHub.ReturnToMainRoom), cancellationToken);

    public static Task<RoomsView> CloseRoomAsync(this HubConnection connection, string roomId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomsView>(nameof(IMeetingHub.CloseRoom), roomId, cancellationToken);

    public static Task<RoomBroadcastView> BroadcastToRoomsAsync(this HubConnection connection, BroadcastToRoomsRequest request, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomBroadcastView>(nameof(IMeetingHub.BroadcastToRooms), request, cancellationToken);

    public static Task<RoomsView> SetRoomSettingsAsync(this HubConnection connection, RoomSettings settings, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<RoomsView>(nameof(IMeetingHub.SetRoomSettings), settings, cancellationToken);
}
