using Collab.Conferencing.Rooms;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Room moves between nodes, on the node signal channel (<see cref="RedisNodeSignals"/>) as kind <c>moved</c> with
/// <c>meetingId</c>, <c>participantIds</c> and <c>reason</c> (an unknown reason reads as <c>joined</c>). A lost message
/// is healed by the next move of the same participant or their reconnect, both of which read the store.
/// </summary>
public sealed class RedisRoomSignals(RedisNodeSignals signals) : IRoomSignals
{
    public Task StartAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved, CancellationToken cancellationToken = default)
    {
        signals.Handle("moved", signal =>
        {
            if (signal.ParticipantIds is not { Length: > 0 } participantIds)
            {
                return Task.CompletedTask;
            }

            var reason = Enum.TryParse<RoomMoveReason>(signal.Reason, ignoreCase: true, out var known) ? known : RoomMoveReason.Joined;
            return moved(signal.MeetingId!, participantIds, reason);
        });
        return signals.StartAsync(cancellationToken);
    }

    public Task PublishMovedAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken = default) =>
        signals.PublishAsync("rooms publish", new NodeSignal("moved", meetingId, ParticipantIds: [.. participantIds], Reason: reason.ToString()));
}
