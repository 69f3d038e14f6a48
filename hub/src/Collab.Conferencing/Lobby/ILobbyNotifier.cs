namespace Collab.Conferencing.Lobby;

/// <summary>
/// The lobby's pushes, on every node (the host implements it over SignalR): the waiting list to moderators, the
/// decision to the one waiting, the removal to the removed participant's connection, which is then closed.
/// </summary>
public interface ILobbyNotifier
{
    /// <summary>Subscribes a waiting connection to the pushes meant for it (its decision, the meeting's end) and nothing else.</summary>
    Task AddWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default);

    Task RemoveWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default);

    /// <summary>The lobby changed: to the meeting's moderators.</summary>
    Task LobbyUpdatedAsync(string meetingId, LobbyView lobby, CancellationToken cancellationToken = default);

    /// <summary>To the waiter: join again with your token, you are in.</summary>
    Task AdmittedAsync(string meetingId, string waiterId, CancellationToken cancellationToken = default);

    /// <summary>To the waiter: a moderator declined the request.</summary>
    Task DeniedAsync(string meetingId, string waiterId, string reason, CancellationToken cancellationToken = default);

    /// <summary>To everyone still waiting: the meeting ended.</summary>
    Task LobbyClosedAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>To one connection of this node: a moderator removed you.</summary>
    Task RemovedAsync(string connectionId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Closes a connection of this node.</summary>
    void Abort(string connectionId);
}
