using Microsoft.Extensions.Hosting;

namespace Collab.Conferencing.Rooms;

/// <summary>Hears the other nodes' room moves and applies them to this node's connections.</summary>
public sealed class RoomSignalsListener(IRoomSignals signals, RoomMoves moves) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        signals.StartAsync((meetingId, participantIds, reason) => moves.ApplyAsync(meetingId, participantIds, reason), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
