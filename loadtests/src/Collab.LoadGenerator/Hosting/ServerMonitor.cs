using System.Diagnostics;

namespace Collab.LoadGenerator.Hosting;

/// <summary>
/// Samples the CPU (share of one core) and resident memory of the processes a run spawned, once a second, from /proc.
/// A process that is gone (a node the run killed) stops being sampled.
/// </summary>
internal sealed class ServerMonitor(IReadOnlyList<(string Name, SpawnedProcess Process)> processes)
{
    private readonly List<ServerSample>[] _samples = [.. processes.Select(_ => new List<ServerSample>())];

    public async Task RunAsync(Func<double> runSeconds, CancellationToken stop)
    {
        var last = processes.Select(p => TryCpu(p.Process)).ToArray();
        var lastAt = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var wall = Stopwatch.GetElapsedTime(lastAt).TotalSeconds;
                lastAt = Stopwatch.GetTimestamp();
                for (var i = 0; i < processes.Count; i++)
                {
                    var cpu = TryCpu(processes[i].Process);
                    var resident = TryResident(processes[i].Process);
                    if (cpu is { } now && last[i] is { } before && resident > 0)
                    {
                        lock (_samples[i])
                        {
                            _samples[i].Add(new ServerSample(runSeconds(), (now - before).TotalSeconds / wall * 100, resident / 1_048_576.0));
                        }
                    }

                    last[i] = cpu;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    public IReadOnlyList<ServerSeries> Series() =>
    [
        .. processes.Select((p, i) =>
        {
            lock (_samples[i])
            {
                return new ServerSeries(p.Name, [.. _samples[i]]);
            }
        }),
    ];

    private static TimeSpan? TryCpu(SpawnedProcess process)
    {
        try
        {
            return process.CpuTime();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long TryResident(SpawnedProcess process)
    {
        try
        {
            return process.ResidentBytes();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

/// <summary>One process's CPU (percent of one core over the last second) and resident memory at a moment of the run.</summary>
internal sealed record ServerSample(double Seconds, double CpuPercent, double ResidentMegabytes);

/// <summary>A spawned process's samples over the run.</summary>
internal sealed record ServerSeries(string Name, IReadOnlyList<ServerSample> Samples)
{
    public double PeakCpuPercent => Samples.Count == 0 ? 0 : Samples.Max(s => s.CpuPercent);

    public double MeanCpuPercent => Samples.Count == 0 ? 0 : Samples.Average(s => s.CpuPercent);

    public double PeakResidentMegabytes => Samples.Count == 0 ? 0 : Samples.Max(s => s.ResidentMegabytes);
}
