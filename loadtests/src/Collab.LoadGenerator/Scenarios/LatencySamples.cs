namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// Latency samples in milliseconds, recorded without locks into a fixed array: when it is full, every further sample
/// is kept with falling probability (reservoir sampling), so a long run still yields an unbiased distribution.
/// </summary>
internal sealed class LatencySamples(int capacity = 500_000)
{
    private readonly double[] _samples = new double[capacity];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(double milliseconds)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _samples.Length)
        {
            _samples[index] = milliseconds;
            return;
        }

        var slot = Random.Shared.NextInt64(index + 1);
        if (slot < _samples.Length)
        {
            _samples[slot] = milliseconds;
        }
    }

    public double[] Sorted()
    {
        var sorted = _samples[..(int)Math.Min(Count, _samples.Length)];
        Array.Sort(sorted);
        return sorted;
    }
}
