using Collab.Conferencing.Moderation;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Hubs;

/// <summary>The moderation notifier over the meeting's SignalR group.</summary>
internal sealed class SignalRModerationNotifier(IHubContext<MeetingHub, IMeetingClient> hub) : IModerationNotifier
{
    public Task ChatMessageDeletedAsync(string meetingId, ChatMessageDeletedView deleted, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Scope(meetingId)).ChatMessageDeleted(deleted); // the chat's scope: main room or discussion room
}
