using Collab.Conferencing;
using Collab.Conferencing.Audio;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Hubs;

/// <summary>The domain's notifier over SignalR: one group per meeting, fanned out across nodes by the backplane.</summary>
internal sealed class SignalRMeetingNotifier(IHubContext<MeetingHub, IMeetingClient> hub) : IMeetingNotifier
{
    public async Task AddConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default)
    {
        await hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Meeting(meetingId), cancellationToken);
        if (moderator)
        {
            await hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Moderators(meetingId), cancellationToken);
        }
    }

    public async Task RemoveConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default)
    {
        await hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Meeting(meetingId), cancellationToken);
        if (moderator)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Moderators(meetingId), cancellationToken);
        }
    }

    /// <summary>To the chat's scope: the main room (<paramref name="meetingId"/> is the meeting's id) or a discussion room (a room's scope id).</summary>
    public Task ChatMessageAsync(string meetingId, ChatMessage message, string? exceptConnectionId = null, CancellationToken cancellationToken = default) =>
        (exceptConnectionId is null
            ? hub.Clients.Group(MeetingGroups.Scope(meetingId))
            : hub.Clients.GroupExcept(MeetingGroups.Scope(meetingId), exceptConnectionId)).ChatMessageReceived(message);

    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        Presence(meetingId, audience).ParticipantJoined(participant);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        Presence(meetingId, audience).ParticipantUpdated(participant);

    public Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        Presence(meetingId, audience).ParticipantLeft(participantId);

    public Task ParticipantCountAsync(string meetingId, ParticipantCountView count, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).ParticipantCountChanged(count);

    public Task PollUpdatedAsync(string meetingId, PollView poll, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        Presence(meetingId, audience).PollUpdated(poll);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).PollTallyUpdated(tally);

    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).MeetingEnded(meetingId);

    private IMeetingClient Meeting(string meetingId) => hub.Clients.Group(MeetingGroups.Meeting(meetingId));

    private IMeetingClient Presence(string meetingId, PresenceAudience audience) =>
        hub.Clients.Group(audience == PresenceAudience.Moderators ? MeetingGroups.Moderators(meetingId) : MeetingGroups.Meeting(meetingId));

    /// <summary>To the floor's scope: the main room or one discussion room (each has its own floor).</summary>
    public Task FloorUpdatedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Scope(meetingId)).FloorUpdated(floor);
}
