using Collab.Conferencing.Lobby;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Lobby;

/// <summary>The lobby's pushes over SignalR: the moderators' group, one group per waiter and one for the whole lobby, across nodes by the backplane.</summary>
internal sealed class SignalRLobbyNotifier(IHubContext<MeetingHub, IMeetingClient> hub, ConnectionDirectory connections) : ILobbyNotifier
{
    public async Task AddWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default)
    {
        await hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Waiter(meetingId, waiterId), cancellationToken);
        await hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Lobby(meetingId), cancellationToken);
    }

    public async Task RemoveWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default)
    {
        await hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Waiter(meetingId, waiterId), cancellationToken);
        await hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Lobby(meetingId), cancellationToken);
    }

    public Task LobbyUpdatedAsync(string meetingId, LobbyView lobby, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Moderators(meetingId)).LobbyUpdated(lobby);

    public Task AdmittedAsync(string meetingId, string waiterId, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Waiter(meetingId, waiterId)).LobbyAdmitted(meetingId);

    public Task DeniedAsync(string meetingId, string waiterId, string reason, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Waiter(meetingId, waiterId)).LobbyDenied(reason);

    public Task LobbyClosedAsync(string meetingId, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Lobby(meetingId)).MeetingEnded(meetingId);

    public Task RemovedAsync(string connectionId, string reason, CancellationToken cancellationToken = default) =>
        hub.Clients.Client(connectionId).RemovedFromMeeting(reason);

    public void Abort(string connectionId) => connections.Abort(connectionId);
}
