using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Collab.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence, killed by PID on dispose.
/// Use one per test assembly as an assembly fixture; tests that stop Redis on purpose make their own.
/// Outside CI a missing binary leaves <see cref="UnavailableReason"/> set (tests skip with it);
/// with <c>CI=true</c> it fails instead, so CI never passes by skipping.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private readonly string? _dataDirectory;
    private readonly string[] _arguments = [];

    /// <summary>A server without persistence (the shared fixture). xunit wants exactly one public constructor.</summary>
    public RedisServer()
    {
    }

    private RedisServer(string? dataDirectory, string[] arguments)
    {
        _dataDirectory = dataDirectory;
        _arguments = arguments;
    }

    /// <summary>
    /// A server that keeps its data across <see cref="StopAsync"/>/<see cref="StartAsync"/> in
    /// <paramref name="dataDirectory"/>: append-only file with fsync on every write, so a write Redis acknowledged
    /// survives even a kill -9 (what a production deployment that must not lose accepted messages runs).
    /// </summary>
    public static RedisServer Persistent(string dataDirectory) => new(dataDirectory, []);

    /// <summary>
    /// A server without persistence started with extra arguments (a replica's <c>--replicaof</c>, a cluster node's
    /// <c>--cluster-enabled yes</c>), on <paramref name="port"/> or a free one.
    /// </summary>
    public static async Task<RedisServer> StartWithAsync(int? port, params string[] arguments)
    {
        var server = new RedisServer(null, arguments);
        if (FindBinary() is null)
        {
            await server.InitializeAsync();
            return server;
        }

        server.Port = port ?? FreeLoopbackPort();
        await server.StartAsync();
        return server;
    }

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>Why this server could not start outside CI, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public async ValueTask InitializeAsync()
    {
        var binary = FindBinary();
        if (binary is null)
        {
            var reason = "redis-server is not on PATH; install it (apt-get install redis-server) or run ./test.sh, which installs it.";
            if (IsCi)
            {
                throw new InvalidOperationException(reason);
            }

            UnavailableReason = reason;
            return;
        }

        Port = FreeLoopbackPort();
        await StartAsync();
    }

    /// <summary>Skips the calling test outside CI when Redis is unavailable.</summary>
    public void SkipIfUnavailable() => Assert.SkipWhen(UnavailableReason is not null, UnavailableReason ?? string.Empty);

    /// <summary>Starts (or restarts, on the same port) the server and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var startInfo = new ProcessStartInfo(FindBinary() ?? "redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] persistence = _dataDirectory is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _dataDirectory];
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes" }.Concat(persistence).Concat(_arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (process.HasExited)
            {
                break;
            }

            if (await AnswersPingAsync(Port))
            {
                return;
            }

            await Task.Delay(20);
        }

        await StopAsync();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {s_startTimeout.TotalSeconds} s. Its output:\n{Output}");
    }

    /// <summary>Kills the server by PID and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        using var process = _process;
        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    internal static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string? FindBinary() => FindOnPath("redis-server");

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Binds port 0 on loopback to let the OS pick a free port, then releases it.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
