using Collab.Conferencing;
using Collab.Conferencing.Model;
using Collab.Conferencing.Redis;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Hubs;

/// <summary>The domain's notifier over SignalR: one group per meeting, fanned out across nodes by the backplane.</summary>
internal sealed class SignalRMeetingNotifier(IHubContext<MeetingHub, IMeetingClient> hub) : IMeetingNotifier
{
    public Task AddConnectionAsync(string connectionId, string meetingId, CancellationToken cancellationToken = default) =>
        hub.Groups.AddToGroupAsync(connectionId, RedisKeys.MeetingGroup(meetingId), cancellationToken);

    public Task RemoveConnectionAsync(string connectionId, string meetingId, CancellationToken cancellationToken = default) =>
        hub.Groups.RemoveFromGroupAsync(connectionId, RedisKeys.MeetingGroup(meetingId), cancellationToken);

    public Task ChatMessageAsync(string meetingId, ChatMessage message, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).ChatMessageReceived(message);

    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).ParticipantJoined(participant);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).ParticipantUpdated(participant);

    public Task ParticipantLeftAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).ParticipantLeft(participantId);

    public Task PollUpdatedAsync(string meetingId, PollView poll, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).PollUpdated(poll);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).PollTallyUpdated(tally);

    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) =>
        Meeting(meetingId).MeetingEnded(meetingId);

    private IMeetingClient Meeting(string meetingId) => hub.Clients.Group(RedisKeys.MeetingGroup(meetingId));
}
