using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Xunit;

namespace Collab.Testing;

/// <summary>
/// Redis high availability on loopback: a primary, one replica and three <c>redis-sentinel</c> processes (quorum 2)
/// monitoring service <see cref="ServiceName"/> with a 1 s down-after time, all killed by PID on dispose. Hubs connect
/// through the Sentinels (<see cref="ConnectionString"/>); a test kills the primary to make them fail over.
/// </summary>
public sealed class RedisSentinelDeployment : IAsyncDisposable
{
    public const string ServiceName = "collab";

    private readonly List<Process> _sentinels = [];
    private readonly StringBuilder _sentinelOutput = new();
    private readonly string _directory;

    private RedisSentinelDeployment(string directory, RedisServer primary, RedisServer replica)
    {
        _directory = directory;
        Primary = primary;
        Replica = replica;
    }

    /// <summary>The server that is primary at start.</summary>
    public RedisServer Primary { get; }

    /// <summary>The server that is replica at start (and primary after a failover).</summary>
    public RedisServer Replica { get; }

    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    /// <summary>StackExchange.Redis connection string: the Sentinels and the service name, never a server address.</summary>
    public string ConnectionString =>
        string.Join(",", SentinelPorts.Select(port => $"127.0.0.1:{port}")) + $",serviceName={ServiceName},abortConnect=false";

    public string SentinelOutput
    {
        get
        {
            lock (_sentinelOutput)
            {
                return _sentinelOutput.ToString();
            }
        }
    }

    /// <summary>Starts everything and waits until every Sentinel knows the replica and the other Sentinels.</summary>
    public static async Task<RedisSentinelDeployment?> StartAsync()
    {
        if (RedisServer.FindOnPath("redis-sentinel") is null || RedisServer.FindOnPath("redis-server") is null)
        {
            var reason = "redis-server and redis-sentinel are needed for the failover tests (apt-get install redis-server redis-sentinel, or run ./test.sh).";
            Assert.SkipWhen(!RedisServer.IsCi, reason);
            throw new InvalidOperationException(reason);
        }

        var directory = Directory.CreateTempSubdirectory("collab-sentinel-").FullName;
        var primary = await RedisServer.StartWithAsync(null, "--repl-diskless-sync-delay", "0");
        var replica = await RedisServer.StartWithAsync(null, "--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture), "--repl-diskless-sync-delay", "0");
        var deployment = new RedisSentinelDeployment(directory, primary, replica);
        try
        {
            await deployment.StartSentinelsAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks a Sentinel which address is primary now.</summary>
    public async Task<int?> CurrentPrimaryPortAsync()
    {
        await using var sentinel = await ConnectAsync(SentinelPorts[0]);
        return (await sentinel.GetServer("127.0.0.1", SentinelPorts[0]).SentinelGetMasterAddressByNameAsync(ServiceName)) is IPEndPoint primary ? primary.Port : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in _sentinels)
        {
            if (!sentinel.HasExited)
            {
                sentinel.Kill();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sentinel.WaitForExitAsync(timeout.Token);
            sentinel.Dispose();
        }

        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartSentinelsAsync()
    {
        var ports = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var port = RedisServer.FreeLoopbackPort();
            // Sentinel rewrites its configuration file as it learns the deployment, so each has its own.
            var config = Path.Combine(_directory, $"sentinel-{port}.conf");
            await File.WriteAllTextAsync(config, string.Join('\n',
                $"port {port}",
                "bind 127.0.0.1",
                $"dir {_directory}",
                $"sentinel monitor {ServiceName} 127.0.0.1 {Primary.Port} 2",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                $"sentinel failover-timeout {ServiceName} 10000",
                $"sentinel parallel-syncs {ServiceName} 1",
                string.Empty));
            var startInfo = new ProcessStartInfo(RedisServer.FindOnPath("redis-sentinel")!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(config);
            var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => Append(port, e.Data);
            process.ErrorDataReceived += (_, e) => Append(port, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _sentinels.Add(process);
            ports.Add(port);
        }

        SentinelPorts = ports;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var ready = true;
            foreach (var port in ports)
            {
                var info = (await TryMasterInfoAsync(port))?.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
                ready &= info is not null && info.GetValueOrDefault("num-slaves") == "1" && info.GetValueOrDefault("num-other-sentinels") == "2";
            }

            if (ready)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The Sentinels did not discover the replica and each other within 30 s.\n{SentinelOutput}");
    }

    private void Append(int port, string? line)
    {
        if (line is not null)
        {
            lock (_sentinelOutput)
            {
                _sentinelOutput.Append(CultureInfo.InvariantCulture, $"[{port}] {line}\n");
            }
        }
    }

    private static async Task<KeyValuePair<string, string>[]?> TryMasterInfoAsync(int port)
    {
        try
        {
            await using var sentinel = await ConnectAsync(port);
            return await sentinel.GetServer("127.0.0.1", port).SentinelMasterAsync(ServiceName);
        }
        catch (Exception exception) when (exception is RedisException or SocketException)
        {
            return null;
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(int port) =>
        ConnectionMultiplexer.SentinelConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, port } },
            AbortOnConnectFail = true,
            ConnectTimeout = 2_000,
        });
}
