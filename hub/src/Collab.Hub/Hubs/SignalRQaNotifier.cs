using Collab.Conferencing;
using Collab.Conferencing.Qa;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Hubs;

/// <summary>The Q&amp;A notifier over the meeting's SignalR groups (the same groups as <see cref="SignalRMeetingNotifier"/>).</summary>
internal sealed class SignalRQaNotifier(IHubContext<MeetingHub, IMeetingClient> hub) : IQaNotifier
{
    public Task QuestionUpdatedAsync(string meetingId, QuestionView question, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(audience == PresenceAudience.Moderators ? MeetingGroups.Moderators(meetingId) : MeetingGroups.Meeting(meetingId)).QuestionUpdated(question);

    public Task QuestionRemovedAsync(string meetingId, QuestionRemovedView removed, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Meeting(meetingId)).QuestionRemoved(removed);

    public Task QaSettingsUpdatedAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Meeting(meetingId)).QaSettingsUpdated(settings);
}
