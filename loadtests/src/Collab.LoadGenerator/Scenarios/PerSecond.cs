namespace Collab.LoadGenerator.Scenarios;

/// <summary>A counter per second of run time (thread-safe, fixed size: later seconds go to the last bucket).</summary>
internal sealed class PerSecond(int seconds)
{
    private readonly long[] _buckets = new long[Math.Max(1, seconds)];

    public void Add(double runMilliseconds, long amount) =>
        Interlocked.Add(ref _buckets[Math.Clamp((int)(runMilliseconds / 1000), 0, _buckets.Length - 1)], amount);

    public long[] Snapshot() => [.. _buckets];
}
