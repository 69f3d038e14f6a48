using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// Idle connections on one target: each connects and joins its room, then does nothing. The server's resident memory
/// is read after a settle period with the warm connections and again after one with all of them; the difference per
/// added connection is what an idle connection costs. The readings are what the process holds, garbage and
/// all (no collection is forced for them); each is followed by one after a full collection the runtime is asked for
/// (<see cref="GcWatch.CollectAsync"/>), which shows what the connections themselves hold, resident and as live heap. Bounded: the join phase (IdleSettings.JoinLimit), two settle periods; the server is stopped at the end.
/// </summary>
internal sealed class IdleLoad(IdleSettings settings, Func<Uri, Uri>? route = null)
{
    public async Task<IdleResult> RunAsync(BaselineServer server, Action<string> progress, CancellationToken cancellationToken)
    {
        if (settings.Connections <= settings.WarmConnections)
        {
            throw new ArgumentException($"An idle load needs more than {settings.WarmConnections} connections.", nameof(settings));
        }

        var clients = new BaselineClients(server, route);
        var connections = new HubConnection?[settings.Connections];
        try
        {
            var rooms = new BaselineRoom[settings.Rooms];
            for (var i = 0; i < rooms.Length; i++)
            {
                rooms[i] = await clients.CreateRoomAsync($"baseline idle {i}", cancellationToken);
            }

            BaselineRoom RoomOf(int index) => rooms[index / settings.RoomSize];
            await clients.ConnectManyAsync(connections, ..settings.WarmConnections, IdleSettings.ConnectConcurrency, IdleSettings.JoinLimit, RoomOf, _ => null, cancellationToken);
            await Task.Delay(settings.Settle, cancellationToken);
            var warm = server.ResidentBytes();
            var warmCollected = await CollectedAsync(server, progress, cancellationToken);

            progress($"{server.Target}: {settings.WarmConnections} warm connections hold {warm / 1_048_576.0:0} MB; joining {settings.Connections - settings.WarmConnections} more, {settings.RoomSize} to a room");
            var joining = Stopwatch.StartNew();
            var cpuBefore = server.CpuTime();
            var peak = warm;
            var connecting = clients.ConnectManyAsync(connections, settings.WarmConnections.., IdleSettings.ConnectConcurrency, IdleSettings.JoinLimit, RoomOf, _ => null, cancellationToken);
            while (await Task.WhenAny(connecting, Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken)) != connecting)
            {
                peak = Math.Max(peak, server.ResidentBytes());
            }

            await connecting;
            var joinSeconds = joining.Elapsed.TotalSeconds;
            var joinCpu = (server.CpuTime() - cpuBefore).TotalSeconds;
            progress($"{server.Target}: {settings.Connections} joined in {joinSeconds:0.0} s; settling {settings.Settle.TotalSeconds:0} s");
            await Task.Delay(settings.Settle, cancellationToken);
            var loaded = server.ResidentBytes();
            var loadedCollected = warmCollected is null ? null : await CollectedAsync(server, progress, cancellationToken);
            return new IdleResult(
                server.Target,
                settings.Connections,
                settings.RoomSize,
                settings.WarmConnections,
                joinSeconds,
                joinCpu,
                warm,
                loaded,
                Math.Max(peak, loaded),
                connections.Count(connection => connection?.State == HubConnectionState.Connected),
                warmCollected?.ResidentBytes,
                loadedCollected?.ResidentBytes,
                warmCollected?.LiveHeapBytes,
                loadedCollected?.LiveHeapBytes);
        }
        finally
        {
            await clients.StopAsync(connections);
        }
    }

    /// <summary>
    /// Resident memory right after a full collection of the server and the live heap that collection left
    /// (<see cref="GcWatch.CollectAsync"/>), or null with the reason said.
    /// </summary>
    private static async Task<(long ResidentBytes, long? LiveHeapBytes)?> CollectedAsync(BaselineServer server, Action<string> progress, CancellationToken cancellationToken)
    {
        var (collected, liveHeap, why) = await GcWatch.CollectAsync(server.ProcessId, cancellationToken);
        if (!collected)
        {
            progress($"{server.Target}: no memory reading after a full collection ({why})");
            return null;
        }

        return (server.ResidentBytes(), liveHeap);
    }
}
