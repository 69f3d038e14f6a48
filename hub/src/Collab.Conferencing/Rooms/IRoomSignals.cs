namespace Collab.Conferencing.Rooms;

/// <summary>
/// Tells every other node that participants of a meeting changed rooms (they moved, were assigned, or their room
/// closed), so each node moves the connections it serves: their session's room, their SignalR room group, their audio
/// listener and their floor. In memory there is no other node; with Redis one pub/sub channel for the deployment. The
/// publishing node has applied the move itself; a receiving node reads where the participants are from the store, so
/// signals that cross each other still end where the store says.
/// </summary>
public interface IRoomSignals
{
    Task StartAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved, CancellationToken cancellationToken = default);

    Task PublishMovedAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken = default);
}

/// <summary>A single node: nothing to tell.</summary>
public sealed class LocalRoomSignals : IRoomSignals
{
    public Task StartAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task PublishMovedAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
