using System.Collections.Concurrent;
using Collab.Conferencing.Lobby;

namespace Collab.Conferencing.Tests;

/// <summary>Records the lobby's pushes and the connections it closes, in order.</summary>
internal sealed class RecordingLobbyNotifier : ILobbyNotifier
{
    public ConcurrentQueue<(string Target, string Event, object? Payload)> Events { get; } = new();

    public Task AddWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default) => Record(connectionId, "waiter:add", waiterId);

    public Task RemoveWaiterAsync(string connectionId, string meetingId, string waiterId, CancellationToken cancellationToken = default) => Record(connectionId, "waiter:remove", waiterId);

    public Task LobbyUpdatedAsync(string meetingId, LobbyView lobby, CancellationToken cancellationToken = default) => Record(meetingId, "lobby", lobby);

    public Task AdmittedAsync(string meetingId, string waiterId, CancellationToken cancellationToken = default) => Record(waiterId, "admitted", meetingId);

    public Task DeniedAsync(string meetingId, string waiterId, string reason, CancellationToken cancellationToken = default) => Record(waiterId, "denied", reason);

    public Task LobbyClosedAsync(string meetingId, CancellationToken cancellationToken = default) => Record(meetingId, "lobby:closed", null);

    public Task RemovedAsync(string connectionId, string reason, CancellationToken cancellationToken = default) => Record(connectionId, "removed", reason);

    public void Abort(string connectionId) => Events.Enqueue((connectionId, "abort", null));

    private Task Record(string target, string @event, object? payload)
    {
        Events.Enqueue((target, @event, payload));
        return Task.CompletedTask;
    }
}
