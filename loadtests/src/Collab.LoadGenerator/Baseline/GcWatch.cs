using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What a hub's garbage collector did over a measured window, read from the runtime's own events (an EventPipe session
/// on the hub's process, as dotnet-trace and dotnet-counters attach): collections by generation, each pause from the
/// suspension of the runtime to its restart, and the bytes allocated (the runtime's allocation counter). The figures a
/// delivery tail is made of, measured rather than guessed.
/// </summary>
internal sealed class GcWatch : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reading;
    private readonly object _gate = new();
    private readonly int[] _collections = new int[3];
    private readonly List<double> _pausesMs = [];
    private double? _suspendedAtMs;
    private double _allocatedBytes;

    private GcWatch(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Clr.GCStart += OnStart;
        _source.Clr.GCSuspendEEStart += data => { lock (_gate) { _suspendedAtMs = data.TimeStampRelativeMSec; } };
        _source.Clr.GCRestartEEStop += OnRestarted;
        _source.Dynamic.All += OnCounters;
        _reading = Task.Run(_source.Process);
    }

    /// <summary>Attaches to the process, or says why it cannot (null, with the reason).</summary>
    public static GcWatch? TryStart(int processId, out string? why)
    {
        try
        {
            var client = new DiagnosticsClient(processId);
            var session = client.StartEventPipeSession(
                [
                    new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, GcKeyword),
                    new EventPipeProvider("System.Runtime", EventLevel.Informational, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" }),
                ],
                requestRundown: false);
            why = null;
            return new GcWatch(session);
        }
        catch (Exception exception) when (exception is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or TimeoutException or IOException)
        {
            why = exception.Message;
            return null;
        }
    }

    /// <summary>
    /// Has the process run one full, blocking collection now (the runtime does when a session asks for its heap, as
    /// dotnet-gcdump does, without the dump itself), waits until it ends and a little for memory to be given back:
    /// what the process holds once garbage is gone. False, with the reason, when it could not. With it, the managed heap that survived it: the bytes promoted from every generation, large
    /// and pinned objects included, as the runtime reports them at the end of that collection (its GCHeapStats event). Live objects only, so
    /// the figure a heap dump would show, without the memory the collector keeps committed or the process's native
    /// allocations that a resident-memory reading also holds. Null when the event was not seen.
    /// </summary>
    public static async Task<(bool Collected, long? LiveHeapBytes, string? Why)> CollectAsync(int processId, CancellationToken cancellationToken)
    {
        const long GcHeapCollectKeyword = 0x800000;
        try
        {
            var client = new DiagnosticsClient(processId);
            using var session = client.StartEventPipeSession(new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword), requestRundown: false);
            using var source = new EventPipeEventSource(session.EventStream);
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var measured = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var induced = false;
            var stopped = false;
            source.Clr.GCStart += data => induced |= data.Depth == 2 && data.Reason == GCReason.Induced;
            source.Clr.GCStop += data =>
            {
                if (induced && data.Depth == 2)
                {
                    stopped = true;
                    ended.TrySetResult();
                }
            };
            // Fired right after the collection's end. A full collection promotes every object that survives it, so the bytes
            // promoted from each generation add up to the live heap; the generations' sizes would also count the free
            // space a collection that does not compact leaves between live objects.
            source.Clr.GCHeapStats += data =>
            {
                if (stopped)
                {
                    measured.TrySetResult(data.TotalPromotedSize0 + data.TotalPromotedSize1 + data.TotalPromotedSize2 + data.TotalPromotedSize3 + data.TotalPromotedSize4);
                }
            };
            var reading = Task.Run(source.Process, CancellationToken.None);
            var collected = await Task.WhenAny(ended.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)) == ended.Task;
            long? liveHeap = collected && await Task.WhenAny(measured.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) == measured.Task
                ? await measured.Task
                : null;
            await session.StopAsync(cancellationToken);
            await reading.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (collected)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }

            return (collected, liveHeap, collected ? null : "no full collection was seen within 30 s");
        }
        catch (Exception exception) when (exception is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or TimeoutException or IOException)
        {
            return (false, null, exception.Message);
        }
    }

    /// <summary>Ends the session and returns what the window held.</summary>
    public async Task<GcFigures> StopAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is ServerNotAvailableException or IOException or TimeoutException)
        {
            // The process went away first: what was read so far stands.
        }

        await _reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        lock (_gate)
        {
            var pauses = _pausesMs.Order().ToArray();
            return new GcFigures(_collections[0], _collections[1], _collections[2], pauses.Sum(), pauses.Length == 0 ? 0 : pauses[^1], (long)_allocatedBytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is ServerNotAvailableException or IOException or TimeoutException or ObjectDisposedException)
        {
            // Stopped already, or the process is gone.
        }

        _source.Dispose();
        _session.Dispose();
    }

    private void OnStart(GCStartTraceData data)
    {
        lock (_gate)
        {
            _collections[Math.Clamp(data.Depth, 0, 2)]++;
        }
    }

    private void OnRestarted(GCNoUserDataTraceData data)
    {
        lock (_gate)
        {
            if (_suspendedAtMs is { } suspended)
            {
                _pausesMs.Add(data.TimeStampRelativeMSec - suspended);
                _suspendedAtMs = null;
            }
        }
    }

    /// <summary>The runtime's counters, once a second: "alloc-rate" is the bytes allocated in that second.</summary>
    private void OnCounters(TraceEvent data)
    {
        // The event's one field, "Payload", holds {"Payload": {"Name": …, "Increment": …}} (as dotnet-counters reads it).
        if (data.EventName != "EventCounters" || data.PayloadValue(0) is not IDictionary<string, object> outer
            || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload
            || !payload.TryGetValue("Name", out var name) || name as string != "alloc-rate"
            || !payload.TryGetValue("Increment", out var increment))
        {
            return;
        }

        lock (_gate)
        {
            _allocatedBytes += Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>A window's collections by generation, total and longest pause, and bytes allocated.</summary>
internal sealed record GcFigures(int Gen0, int Gen1, int Gen2, double PauseTotalMs, double PauseMaxMs, long AllocatedBytes)
{
    public int Collections => Gen0 + Gen1 + Gen2;
}
