using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Collab.Testing;

/// <summary>
/// A real Redis Cluster of three primaries (no replicas) on loopback: three <c>redis-server --cluster-enabled yes</c>
/// processes joined with <c>redis-cli --cluster create</c>, killed by PID on dispose. Skips outside CI when the
/// binaries are missing; fails in CI.
/// </summary>
public sealed class RedisCluster : IAsyncLifetime
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private readonly List<RedisServer> _nodes = [];
    private string? _directory;

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>StackExchange.Redis connection string naming every primary.</summary>
    public string ConnectionString => string.Join(",", _nodes.Select(node => $"127.0.0.1:{node.Port}")) + ",abortConnect=false";

    public string? UnavailableReason { get; private set; }

    public void SkipIfUnavailable() => Assert.SkipWhen(UnavailableReason is not null, UnavailableReason ?? string.Empty);

    public async ValueTask InitializeAsync()
    {
        var cli = RedisServer.FindOnPath("redis-cli");
        if (RedisServer.FindOnPath("redis-server") is null || cli is null)
        {
            UnavailableReason = "redis-server and redis-cli are needed for the Redis Cluster tests (apt-get install redis-server, or run ./test.sh).";
            if (RedisServer.IsCi)
            {
                throw new InvalidOperationException(UnavailableReason);
            }

            return;
        }

        _directory = Directory.CreateTempSubdirectory("collab-cluster-").FullName;
        for (var i = 0; i < 3; i++)
        {
            var port = PortWithFreeBusPort();
            _nodes.Add(await RedisServer.StartWithAsync(port,
                "--cluster-enabled", "yes",
                "--cluster-config-file", Path.Combine(_directory, $"nodes-{port}.conf"),
                "--cluster-node-timeout", "2000",
                "--dir", _directory));
        }

        await RunCliAsync(cli, ["--cluster", "create", .. _nodes.Select(node => $"127.0.0.1:{node.Port}"), "--cluster-replicas", "0", "--cluster-yes"]);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_readyTimeout)
        {
            var states = await Task.WhenAll(_nodes.Select(node => RunCliAsync(cli, ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"])));
            if (states.All(state => state.Contains("cluster_state:ok", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The Redis Cluster did not reach cluster_state:ok within {s_readyTimeout.TotalSeconds} s.\n{string.Join("\n", _nodes.Select(node => node.Output))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    private static int PortWithFreeBusPort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = RedisServer.FreeLoopbackPort();
            if (port + 10_000 > IPEndPoint.MaxPort)
            {
                continue;
            }

            try
            {
                using var bus = new TcpListener(IPAddress.Loopback, port + 10_000);
                bus.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port pair (port, port + 10000) found for a cluster node.");
    }

    private static async Task<string> RunCliAsync(string cli, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-cli did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} did not finish within 20 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }

        return await output;
    }
}
