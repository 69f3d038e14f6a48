using Collab.Conferencing.Audio;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Qa;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Conferencing.Client;

/// <summary>
/// Typed registration of the hub's pushes (<see cref="IMeetingClient"/>): one push with <c>OnX(handler)</c>, or every
/// push onto an <see cref="IMeetingClient"/> with <see cref="Register"/>. Dispose the result to stop receiving.
/// A push added to <see cref="IMeetingClient"/> gets its line in both.
/// </summary>
public static class MeetingClientPushes
{
    /// <summary>Routes every push of the hub to <paramref name="client"/>.</summary>
    public static IDisposable Register(this HubConnection connection, IMeetingClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        IDisposable[] registrations =
        [
            connection.On<ChatMessage>(nameof(IMeetingClient.ChatMessageReceived), client.ChatMessageReceived),
            connection.On<ParticipantView>(nameof(IMeetingClient.ParticipantJoined), client.ParticipantJoined),
            connection.On<ParticipantView>(nameof(IMeetingClient.ParticipantUpdated), client.ParticipantUpdated),
            connection.On<string>(nameof(IMeetingClient.ParticipantLeft), client.ParticipantLeft),
            connection.On<ParticipantCountView>(nameof(IMeetingClient.ParticipantCountChanged), client.ParticipantCountChanged),
            connection.On<PollView>(nameof(IMeetingClient.PollUpdated), client.PollUpdated),
            connection.On<PollTally>(nameof(IMeetingClient.PollTallyUpdated), client.PollTallyUpdated),
            connection.On<string>(nameof(IMeetingClient.MeetingEnded), client.MeetingEnded),
            connection.On<string, byte[]>(nameof(IMeetingClient.AudioReceived), client.AudioReceived),
            connection.On<FloorView>(nameof(IMeetingClient.FloorUpdated), client.FloorUpdated),
            connection.On<LinkFeedbackView>(nameof(IMeetingClient.LinkFeedback), client.LinkFeedback),
            connection.On<LobbyView>(nameof(IMeetingClient.LobbyUpdated), client.LobbyUpdated),
            connection.On<string>(nameof(IMeetingClient.LobbyAdmitted), client.LobbyAdmitted),
            connection.On<string>(nameof(IMeetingClient.LobbyDenied), client.LobbyDenied),
            connection.On<string>(nameof(IMeetingClient.RemovedFromMeeting), client.RemovedFromMeeting),
            connection.On<QuestionView>(nameof(IMeetingClient.QuestionUpdated), client.QuestionUpdated),
            connection.On<QuestionRemovedView>(nameof(IMeetingClient.QuestionRemoved), client.QuestionRemoved),
            connection.On<QaSettings>(nameof(IMeetingClient.QaSettingsUpdated), client.QaSettingsUpdated),
            connection.On<Collab.Conferencing.Moderation.ChatMessageDeletedView>(nameof(IMeetingClient.ChatMessageDeleted), client.ChatMessageDeleted),
            connection.On<Collab.Conferencing.Participants.SelfView>(nameof(IMeetingClient.SelfUpdated), client.SelfUpdated),
            connection.On<Collab.Conferencing.Speakers.SpeakersView>(nameof(IMeetingClient.SpeakersUpdated), client.SpeakersUpdated),
            connection.On<Collab.Conferencing.Rooms.RoomsView>(nameof(IMeetingClient.RoomsUpdated), client.RoomsUpdated),
            connection.On<Collab.Conferencing.Rooms.RoomLocationView>(nameof(IMeetingClient.RoomChanged), client.RoomChanged),
            connection.On<Collab.Conferencing.Rooms.RoomBroadcastView>(nameof(IMeetingClient.RoomBroadcast), client.RoomBroadcast),
        ];
        return new Registrations(registrations);
    }

    public static IDisposable OnChatMessageReceived(this HubConnection connection, Action<ChatMessage> handler) =>
        connection.On(nameof(IMeetingClient.ChatMessageReceived), handler);

    public static IDisposable OnParticipantJoined(this HubConnection connection, Action<ParticipantView> handler) =>
        connection.On(nameof(IMeetingClient.ParticipantJoined), handler);

    public static IDisposable OnParticipantUpdated(this HubConnection connection, Action<ParticipantView> handler) =>
        connection.On(nameof(IMeetingClient.ParticipantUpdated), handler);

    public static IDisposable OnParticipantLeft(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IMeetingClient.ParticipantLeft), handler);

    public static IDisposable OnParticipantCountChanged(this HubConnection connection, Action<ParticipantCountView> handler) =>
        connection.On(nameof(IMeetingClient.ParticipantCountChanged), handler);

    public static IDisposable OnPollUpdated(this HubConnection connection, Action<PollView> handler) =>
        connection.On(nameof(IMeetingClient.PollUpdated), handler);

    public static IDisposable OnPollTallyUpdated(this HubConnection connection, Action<PollTally> handler) =>
        connection.On(nameof(IMeetingClient.PollTallyUpdated), handler);

    public static IDisposable OnMeetingEnded(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IMeetingClient.MeetingEnded), handler);

    public static IDisposable OnAudioReceived(this HubConnection connection, Action<string, byte[]> handler) =>
        connection.On(nameof(IMeetingClient.AudioReceived), handler);

    public static IDisposable OnFloorUpdated(this HubConnection connection, Action<FloorView> handler) =>
        connection.On(nameof(IMeetingClient.FloorUpdated), handler);

    public static IDisposable OnLinkFeedback(this HubConnection connection, Action<LinkFeedbackView> handler) =>
        connection.On(nameof(IMeetingClient.LinkFeedback), handler);

    public static IDisposable OnLobbyUpdated(this HubConnection connection, Action<LobbyView> handler) =>
        connection.On(nameof(IMeetingClient.LobbyUpdated), handler);

    public static IDisposable OnLobbyAdmitted(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IMeetingClient.LobbyAdmitted), handler);

    public static IDisposable OnLobbyDenied(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IMeetingClient.LobbyDenied), handler);

    public static IDisposable OnRemovedFromMeeting(this HubConnection connection, Action<string> handler) =>
        connection.On(nameof(IMeetingClient.RemovedFromMeeting), handler);

    public static IDisposable OnQuestionUpdated(this HubConnection connection, Action<QuestionView> handler) =>
        connection.On(nameof(IMeetingClient.QuestionUpdated), handler);

    public static IDisposable OnQuestionRemoved(this HubConnection connection, Action<QuestionRemovedView> handler) =>
        connection.On(nameof(IMeetingClient.QuestionRemoved), handler);

    public static IDisposable OnQaSettingsUpdated(this HubConnection connection, Action<QaSettings> handler) =>
        connection.On(nameof(IMeetingClient.QaSettingsUpdated), handler);

    public static IDisposable OnChatMessageDeleted(this HubConnection connection, Action<Collab.Conferencing.Moderation.ChatMessageDeletedView> handler) =>
        connection.On(nameof(IMeetingClient.ChatMessageDeleted), handler);

    public static IDisposable OnSelfUpdated(this HubConnection connection, Action<Collab.Conferencing.Participants.SelfView> handler) =>
        connection.On(nameof(IMeetingClient.SelfUpdated), handler);

    public static IDisposable OnSpeakersUpdated(this HubConnection connection, Action<Collab.Conferencing.Speakers.SpeakersView> handler) =>
        connection.On(nameof(IMeetingClient.SpeakersUpdated), handler);

    public static IDisposable OnRoomsUpdated(this HubConnection connection, Action<Collab.Conferencing.Rooms.RoomsView> handler) =>
        connection.On(nameof(IMeetingClient.RoomsUpdated), handler);

    public static IDisposable OnRoomChanged(this HubConnection connection, Action<Collab.Conferencing.Rooms.RoomLocationView> handler) =>
        connection.On(nameof(IMeetingClient.RoomChanged), handler);

    public static IDisposable OnRoomBroadcast(this HubConnection connection, Action<Collab.Conferencing.Rooms.RoomBroadcastView> handler) =>
        connection.On(nameof(IMeetingClient.RoomBroadcast), handler);

    private sealed class Registrations(IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
