using System.Collections.Concurrent;
using System.Diagnostics;
using Collab.Conferencing.Client;
using Collab.LoadGenerator.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;

namespace Collab.LoadGenerator.IdleCost;

/// <summary>What one idle-cost measurement does: how many idle participants, how long to settle and measure, whether to kill a node.</summary>
internal sealed record IdleCostSettings(int Participants, int Nodes, TimeSpan Settle, TimeSpan Window, bool Kill, string Configuration, string? HubAssembly)
{
    public const int ConnectConcurrency = 64;

    public static readonly TimeSpan JoinLimit = TimeSpan.FromMinutes(10);

    /// <summary>How long the kill measurement waits for the survivor's moderator to hear every departure.</summary>
    public static readonly TimeSpan ClearLimit = TimeSpan.FromMinutes(2);
}

/// <summary>
/// What idle participants cost a deployment: <c>--spawn</c> hub nodes on one spawned redis-server, N participants
/// joined to one meeting over the nodes in turn (real SignalR clients, MessagePack over WebSockets) plus a moderator
/// on the first node, then nothing. After the joins have drained and a settle period, Redis commands per second (INFO
/// commandstats), Redis memory per participant and each hub's CPU are read over a measured window. With a kill, the
/// last node is then killed by PID and the run times how long until the moderator has heard every one of its
/// participants leave. Bounded: the join phase (10 min), settle and window (at most 10 min each), the clear wait (2 min).
/// </summary>
internal sealed class IdleCostRun(IdleCostSettings settings)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    public async Task<IdleCostResult> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        await using var deployment = await SpawnedDeployment.StartAsync(settings.Nodes, settings.Configuration, progress, settings.HubAssembly);
        var redisProcess = deployment.Redis ?? throw new InvalidOperationException("idle-cost needs --spawn 2 or more (a redis-server).");
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisProcess.Port},allowAdmin=true");
        var server = redis.GetServer("127.0.0.1", redisProcess.Port);
        var meeting = await MeetingApi.CreateAsync(deployment.Hubs[0], "idle cost", cancellationToken, s_callTimeout);
        var connections = new HubConnection?[settings.Participants];
        var left = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        HubConnection? moderator = null;
        try
        {
            moderator = await ConnectAsync(deployment.Hubs[0], new JoinRequest(meeting.MeetingId, "moderator", ModeratorKey: meeting.ModeratorKey), left, cancellationToken);
            var empty = await RedisStats.ReadAsync(server);
            progress($"joining {settings.Participants:N0} idle participants over {settings.Nodes} nodes");
            var joining = Stopwatch.StartNew();
            var participantIds = new string[settings.Participants];
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(IdleCostSettings.JoinLimit);
                try
                {
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, settings.Participants),
                        new ParallelOptions { MaxDegreeOfParallelism = IdleCostSettings.ConnectConcurrency, CancellationToken = timeout.Token },
                        async (index, token) =>
                        {
                            var hub = deployment.Hubs[index % deployment.Hubs.Count];
                            connections[index] = await ConnectAsync(hub, new JoinRequest(meeting.MeetingId, $"idle {index}", JoinCode: meeting.JoinCode), null, token);
                        });
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"Only {connections.Count(connection => connection is not null):N0} of {settings.Participants:N0} participants joined within {IdleCostSettings.JoinLimit.TotalMinutes:0} min.");
                }
            }

            var joinSeconds = joining.Elapsed.TotalSeconds;
            progress($"{settings.Participants:N0} joined in {joinSeconds:0.0} s; settling {settings.Settle.TotalSeconds:0} s");
            await Task.Delay(settings.Settle, cancellationToken);

            var hubs = deployment.HubProcesses;
            var cpuBefore = hubs.Select(hub => hub.CpuTime()).ToArray();
            var before = await RedisStats.ReadAsync(server);
            await Task.Delay(settings.Window, cancellationToken);
            var after = await RedisStats.ReadAsync(server);
            var seconds = (after.At - before.At).TotalSeconds;
            var hubFigures = hubs.Select((hub, i) => new HubIdleFigures($"hub {i + 1}", (hub.CpuTime() - cpuBefore[i]).TotalSeconds / seconds * 100, hub.ResidentBytes() / 1_048_576.0)).ToList();
            var rates = RedisStats.Rates(before, after);

            KillFigures? kill = null;
            if (settings.Kill)
            {
                kill = await KillLastNodeAsync(deployment, connections, left, progress, cancellationToken);
            }

            return new IdleCostResult(
                settings.Participants,
                settings.Nodes,
                settings.Settle.TotalSeconds,
                seconds,
                joinSeconds,
                rates.Sum(rate => rate.PerSecond),
                RedisStats.ScriptRate(rates),
                [.. rates.Take(8)],
                (after.UsedMemoryBytes - empty.UsedMemoryBytes) / (double)settings.Participants,
                hubFigures,
                kill);
        }
        finally
        {
            // Stop the hubs before the clients, so closing thousands of clients is not a storm of departures nobody measures.
            await deployment.DisposeAsync();
            await Parallel.ForEachAsync(
                connections.Append(moderator).Where(connection => connection is not null),
                new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (connection, _) => await connection!.DisposeAsync());
        }
    }

    private async Task<KillFigures> KillLastNodeAsync(SpawnedDeployment deployment, HubConnection?[] connections, ConcurrentDictionary<string, bool> left, Action<string> progress, CancellationToken cancellationToken)
    {
        var onLast = Enumerable.Range(0, connections.Length).Where(index => index % deployment.Hubs.Count == deployment.Hubs.Count - 1).ToList();
        progress($"killing hub {deployment.Hubs.Count} with {onLast.Count:N0} participants; waiting for the moderator on hub 1 to hear them leave");
        var killed = Stopwatch.StartNew();
        await deployment.KillHubAsync();
        while (left.Count < onLast.Count && killed.Elapsed < IdleCostSettings.ClearLimit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        var cleared = left.Count >= onLast.Count ? killed.Elapsed.TotalSeconds : (double?)null;
        progress(cleared is { } s ? $"hub {deployment.Hubs.Count}'s participants left everyone's list {s:0.0} s after the kill" : $"only {left.Count:N0} of {onLast.Count:N0} left within {IdleCostSettings.ClearLimit.TotalSeconds:0} s");
        return new KillFigures(onLast.Count, left.Count, cleared);
    }

    private static async Task<HubConnection> ConnectAsync(Uri hub, JoinRequest request, ConcurrentDictionary<string, bool>? left, CancellationToken cancellationToken)
    {
        var connection = MeetingHubConnection.Build(hub, new MeetingConnectionOptions
        {
            SkipNegotiation = true,
            ServerTimeout = TimeSpan.FromSeconds(60),
            KeepAliveInterval = TimeSpan.FromSeconds(15),
        });
        if (left is not null)
        {
            connection.OnParticipantLeft(participantId => left[participantId] = true);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_callTimeout);
            await connection.StartAsync(timeout.Token);
            await connection.JoinAsync(request, timeout.Token);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
