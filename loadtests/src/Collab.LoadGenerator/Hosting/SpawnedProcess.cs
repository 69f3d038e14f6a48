using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Collab.LoadGenerator.Hosting;

/// <summary>
/// A process this tool started (redis-server or a hub node) on loopback: waits until its port answers, reads its CPU
/// time from /proc, and is killed by PID when disposed. The tool never touches a process it did not start.
/// </summary>
internal sealed class SpawnedProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _disposed;

    private SpawnedProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

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

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<SpawnedProcess> StartRedisAsync()
    {
        var port = FreeLoopbackPort();
        return await StartAsync("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], port, null);
    }

    public static Task<SpawnedProcess> StartHubAsync(string hubAssembly, string? redisConnection, string channelPrefix)
    {
        List<string> settings = [$"--Collab:Redis:ChannelPrefix={channelPrefix}", "--Collab:Conferencing:ResumeTokenKey=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("collab-load-generator-shared-resume-key!"))];
        if (redisConnection is not null)
        {
            settings.Add($"--ConnectionStrings:Redis={redisConnection}");
        }

        return StartWebAppAsync(hubAssembly, settings);
    }

    /// <summary>The bare broadcast hub (loadtests/src/Collab.BareHub), on the same terms as a Collab hub node.</summary>
    public static Task<SpawnedProcess> StartBareHubAsync(string bareHubAssembly) => StartWebAppAsync(bareHubAssembly, []);

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime() => ProcessStats.CpuTime(Pid);

    /// <summary>Resident memory of the process.</summary>
    public long ResidentBytes() => ProcessStats.ResidentBytes(Pid);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    /// <summary>An ASP.NET Core app on a free loopback port, logging warnings and above only.</summary>
    private static async Task<SpawnedProcess> StartWebAppAsync(string assembly, IEnumerable<string> settings)
    {
        var port = FreeLoopbackPort();
        return await StartAsync("dotnet", [assembly, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", .. settings], port, assembly);
    }

    private static async Task<SpawnedProcess> StartAsync(string fileName, IEnumerable<string> arguments, int port, string? workingFile)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingFile is not null)
        {
            info.WorkingDirectory = Path.GetDirectoryName(workingFile)!;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var spawned = new SpawnedProcess(process, port);
        process.OutputDataReceived += (_, e) => spawned.Append(e.Data);
        process.ErrorDataReceived += (_, e) => spawned.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // A hub starts in about a second; on a machine busy with builds and test suites (2 cores at load 40) its JIT and
        // start-up have taken over 30 s, so allow a minute before calling it failed.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return spawned;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        var output = spawned.Output;
        await spawned.DisposeAsync();
        throw new InvalidOperationException($"{fileName} did not listen on 127.0.0.1:{port} within {s_startTimeout.TotalSeconds:0} s. Its output:\n{output}");
    }

    private void Append(string? line)
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
}
