using System.Collections.Concurrent;
using Collab.Conferencing.Rooms;

namespace Collab.Conferencing.Tests;

/// <summary>Records room pushes and which scope group each connection is in.</summary>
internal sealed class RecordingRoomNotifier : IRoomNotifier
{
    private readonly ConcurrentDictionary<string, string> _scopes = new(StringComparer.Ordinal);

    public ConcurrentQueue<RoomsView> Updates { get; } = new();

    public ConcurrentQueue<(string ConnectionId, RoomLocationView Location)> Changes { get; } = new();

    public ConcurrentQueue<RoomBroadcastView> Broadcasts { get; } = new();

    /// <summary>The scope group a connection is in now (null: none).</summary>
    public string? ScopeOf(string connectionId) => _scopes.GetValueOrDefault(connectionId);

    public Task EnterScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default)
    {
        _scopes[connectionId] = scopeId;
        return Task.CompletedTask;
    }

    public Task LeaveScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default)
    {
        _scopes.TryRemove(new KeyValuePair<string, string>(connectionId, scopeId));
        return Task.CompletedTask;
    }

    public Task RoomsUpdatedAsync(string meetingId, RoomsView rooms, CancellationToken cancellationToken = default)
    {
        Updates.Enqueue(rooms);
        return Task.CompletedTask;
    }

    public Task RoomChangedAsync(string connectionId, RoomLocationView location, CancellationToken cancellationToken = default)
    {
        Changes.Enqueue((connectionId, location));
        return Task.CompletedTask;
    }

    public Task RoomBroadcastAsync(string meetingId, RoomBroadcastView broadcast, CancellationToken cancellationToken = default)
    {
        Broadcasts.Enqueue(broadcast);
        return Task.CompletedTask;
    }
}
