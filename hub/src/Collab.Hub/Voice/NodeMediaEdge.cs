using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Collab.Conferencing;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Voice;

/// <summary>
/// The node's media edge as a child process: <c>node edge.mjs</c> from hub/src/Collab.MediaEdge (media-edge/ when
/// published), started when Node.js and the edge's node_modules are there, with a fresh bearer secret and this
/// node's datagram endpoint; it prints <c>{"listening":port}</c> and the hub talks to it over loopback HTTP. When it
/// cannot start, one log line says what is off, why and what to do, and browsers' voice uses SignalR.
/// </summary>
public sealed partial class NodeMediaEdge(
    IOptions<MediaEdgeOptions> options,
    IVoiceDatagramAddress datagrams,
    IHostEnvironment environment,
    ILogger<NodeMediaEdge> logger) : IMediaEdge, IHostedService, IDisposable
{
    private const string Feature = "Media edge (browsers' voice over WebRTC data channels)";

    private readonly MediaEdgeOptions _options = options.Value;
    private readonly TaskCompletionSource<HttpClient?> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private HttpClient? _http;
    private Task _start = Task.CompletedTask;
    private volatile string? _unavailable;
    private volatile bool _stopRequested;

    public string? Unavailable => _unavailable;

    /// <summary>The edge's process id while it runs (the hub ends it by this PID).</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Completes when the edge runs (true) or will not (false, <see cref="Unavailable"/> says why).</summary>
    public async Task<bool> WaitStartedAsync(CancellationToken cancellationToken) => await _running.Task.WaitAsync(cancellationToken) is not null;

    /// <summary>Starts the edge in the background, so the hub's start does not wait on the datagram endpoint or Node.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _start = Task.Run(() => StartEdgeAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        await _stopping.CancelAsync();
        await _start.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        // Closing stdin asks the edge to stop; it is ended by its PID if it has not within the grace period.
        try
        {
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
        {
            Kill(process);
        }

        MediaEdgeLog.Stopped(logger, process.Id);
    }

    public async Task<string> AnswerAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> key, string offer, CancellationToken cancellationToken = default)
    {
        var http = await RunningAsync(cancellationToken)
            ?? throw ConferencingException.Unavailable($"The media edge is not running on this node ({_unavailable})");
        var request = new EdgeSessionRequest(Convert.ToBase64String(sessionId.Span), Convert.ToBase64String(key.Span), offer);
        try
        {
            using var response = await http.PostAsJsonAsync("sessions", request, cancellationToken);
            var body = await ReadBodyAsync(response, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK when body?.Answer is { } answer => answer,
                HttpStatusCode.BadRequest => throw ConferencingException.Invalid($"The media edge refused the offer: {body?.Error}"),
                _ => throw ConferencingException.Unavailable($"The media edge cannot take the session ({(int)response.StatusCode}: {body?.Error})"),
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or (TaskCanceledException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            throw ConferencingException.Unavailable($"The media edge did not answer within {_options.RequestTimeoutMilliseconds} ms", exception);
        }
    }

    public async Task CloseAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken = default)
    {
        if (!_running.Task.IsCompletedSuccessfully || _running.Task.Result is not { } http || _unavailable is not null)
        {
            return;
        }

        try
        {
            using var response = await http.DeleteAsync($"sessions/{Base64Url.EncodeToString(sessionId.Span)}", cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            MediaEdgeLog.CloseFailed(logger, exception.Message);
        }
    }

    public void Dispose()
    {
        if (_process is { } process)
        {
            Kill(process);
            process.Dispose();
        }

        _http?.Dispose();
        _stopping.Dispose();
    }

    private async Task<HttpClient?> RunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _running.Task.WaitAsync(TimeSpan.FromMilliseconds(_options.StartTimeoutMilliseconds), cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task StartEdgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = await TryStartAsync(cancellationToken);
            _running.TrySetResult(started);
        }
        catch (Exception exception)
        {
            Off(_stopRequested ? "the hub is stopping" : $"it failed to start ({exception.Message})", "see the lines above");
        }
    }

    private async Task<HttpClient?> TryStartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Off("it is turned off (Collab:Voice:MediaEdge:Enabled=false)", "set it to true to carry browsers' voice on the unreliable path", warn: false);
        }

        var endpoint = await datagrams.LocalEndPointAsync(cancellationToken).WaitAsync(TimeSpan.FromMilliseconds(_options.StartTimeoutMilliseconds), cancellationToken);
        if (endpoint is null)
        {
            return Off($"voice datagrams are off on this node ({datagrams.OffReason})", "turn the datagram endpoint on", warn: false);
        }

        var node = MediaEdgeLocator.FindNode(_options.Node);
        if (node is null)
        {
            return Off($"Node.js ({_options.Node}) is not on PATH", "install Node.js 20+ (apt-get install nodejs npm) and restart the hub");
        }

        var folder = MediaEdgeLocator.FindDirectory(_options.Directory, environment.ContentRootPath, AppContext.BaseDirectory);
        if (folder is null)
        {
            return Off($"no {MediaEdgeLocator.EntryFile} in {(string.IsNullOrWhiteSpace(_options.Directory) ? "media-edge/ beside the hub or hub/src/Collab.MediaEdge above it" : _options.Directory)}", "set Collab:Voice:MediaEdge:Directory to the edge's folder");
        }

        if (!Directory.Exists(Path.Combine(folder, "node_modules", "werift")))
        {
            return Off($"{Path.Combine(folder, "node_modules")} is missing", $"run: npm ci --prefix {folder} (./test.sh does), then restart the hub");
        }

        var hubUdp = string.IsNullOrWhiteSpace(_options.HubUdp) ? LoopbackOf(endpoint) : _options.HubUdp;
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var process = Start(node, folder, hubUdp, secret);
        string line;
        try
        {
            line = await _firstLine.Task.WaitAsync(TimeSpan.FromMilliseconds(_options.StartTimeoutMilliseconds), cancellationToken);
        }
        catch (TimeoutException)
        {
            Kill(process);
            return Off($"it did not report its port within {_options.StartTimeoutMilliseconds} ms", "see the media edge's lines above");
        }

        if (ListeningPort(line) is not { } port)
        {
            Kill(process);
            return Off($"it exited or printed no port ({line})", "see the media edge's lines above");
        }

        _http = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromMilliseconds(_options.RequestTimeoutMilliseconds),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", secret) },
        };
        MediaEdgeLog.Running(logger, Feature, process.Id, port, hubUdp);
        return _http;
    }

    private Process Start(string node, string folder, string hubUdp, string secret)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(folder, MediaEdgeLocator.EntryFile) },
            Environment =
            {
                ["COLLAB_EDGE_SECRET"] = secret,
                ["COLLAB_EDGE_HUB_UDP"] = hubUdp,
                ["COLLAB_EDGE_MAX_SESSIONS"] = _options.MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["COLLAB_EDGE_OPEN_TIMEOUT_MS"] = _options.OpenTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["COLLAB_EDGE_ICE_ADDRESSES"] = _options.IceAddresses ?? "",
                ["COLLAB_EDGE_ICE_PORTS"] = _options.IcePorts ?? "",
            },
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _firstLine.TrySetResult("(no output)");
            }
            else if (!_firstLine.TrySetResult(e.Data))
            {
                MediaEdgeLog.Output(logger, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                MediaEdgeLog.Output(logger, e.Data);
            }
        };
        process.Exited += (_, _) =>
        {
            _firstLine.TrySetResult("(exited)");
            if (!_stopRequested)
            {
                var code = process.ExitCode;
                _unavailable = $"it exited with code {code}";
                MediaEdgeLog.Exited(logger, code);
            }
        };
        process.Start();
        _process = process;
        ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private HttpClient? Off(string why, string whatToDo, bool warn = true)
    {
        _unavailable = why;
        if (warn)
        {
            MediaEdgeLog.Off(logger, Feature, why, whatToDo);
        }
        else
        {
            MediaEdgeLog.OffByChoice(logger, Feature, why, whatToDo);
        }

        _running.TrySetResult(null);
        return null;
    }

    private static string LoopbackOf(IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : endpoint.Address;
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{endpoint.Port}" : $"{address}:{endpoint.Port}";
    }

    private static int? ListeningPort(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("listening", out var port) && port.TryGetInt32(out var value) && value is > 0 and < 65536 ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<EdgeSessionResponse?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<EdgeSessionResponse>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private sealed record EdgeSessionRequest(string SessionId, string Key, string Offer);

    private sealed record EdgeSessionResponse(string? Answer, string? Error);
}
