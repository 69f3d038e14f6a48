using System.Diagnostics;
using Collab.LoadGenerator.Hosting;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// A hub under measurement: its kind, base address and process (CPU and memory are read from /proc for that process
/// only). The loads call <see cref="StopAsync"/> before they close their clients: closing first would make the Collab
/// hub push ParticipantLeft to every remaining member per connection (O(N²) for one meeting), work nobody measures.
/// </summary>
internal sealed record BaselineServer(BaselineTarget Target, Uri Address, int ProcessId, Func<ValueTask> StopAsync)
{
    private static readonly TimeSpan s_quietWindow = TimeSpan.FromSeconds(1);

    public static BaselineServer Spawned(BaselineTarget target, SpawnedProcess process) =>
        new(target, new Uri($"http://127.0.0.1:{process.Port}"), process.Pid, process.DisposeAsync);

    public TimeSpan CpuTime() => ProcessStats.CpuTime(ProcessId);

    public long ResidentBytes() => ProcessStats.ResidentBytes(ProcessId);

    /// <summary>
    /// Waits until the server used less than a tenth of a core over one second (the pushes of a join phase have
    /// drained), or until <paramref name="limit"/>.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var before = CpuTime();
        while (waited.Elapsed < limit)
        {
            await Task.Delay(s_quietWindow, cancellationToken);
            var now = CpuTime();
            if ((now - before).TotalSeconds < 0.1 * s_quietWindow.TotalSeconds)
            {
                return;
            }

            before = now;
        }
    }
}
