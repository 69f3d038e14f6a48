using System.Runtime.InteropServices;
using Collab.Codec.Statistics;
namespace Collab.Conferencing.Audio;

/// <summary>
/// How long a speaker's audio waits in its uplink, measured by the hub without synchronised clocks: each batch's
/// transit is its arrival time minus the media time at which its last frame was complete; the smallest transit of the
/// last <see cref="WindowMilliseconds"/> is the empty-queue baseline, and the median excess over it since the previous
/// feedback is the queueing delay (the median, so one retransmission stall is not mistaken for congestion). On TCP a
/// link that cannot carry the rate shows up here first: sends queue in the client's socket and the bottleneck's
/// buffer, invisible to the client's own send queue. Not thread-safe on its own: the speaker's state locks around it.
/// </summary>
internal sealed class UplinkDelay
{
    public const double WindowMilliseconds = 30_000;
    private const double BucketMilliseconds = 5_000;

    /// <summary>A transit this far from the baseline is a new media clock (the client restarted it), not a delay.</summary>
    private const double ClockJumpMilliseconds = 60_000;

    /// <summary>
    /// A transit this far below the baseline means the media clock jumped ahead of real time (a client starts a talk
    /// spurt at least a second on, however short the pause) or a faster path: the older figures describe an offset
    /// that is gone, and mixed into one interval they would read as a backlog as large as the jump.
    /// </summary>
    private const double ForwardJumpMilliseconds = 100;

    private readonly (double Start, double Min)[] _buckets = new (double, double)[(int)(WindowMilliseconds / BucketMilliseconds)];
    private readonly List<double> _interval = [];
    private int _current = -1;

    /// <summary>A batch arrived at <paramref name="arrivalMilliseconds"/> whose audio was complete at media time <paramref name="mediaMilliseconds"/>.</summary>
    public void Add(double arrivalMilliseconds, double mediaMilliseconds)
    {
        var transit = arrivalMilliseconds - mediaMilliseconds;
        var baseline = Baseline(arrivalMilliseconds);
        if (baseline is { } known && (Math.Abs(transit - known) > ClockJumpMilliseconds || known - transit > ForwardJumpMilliseconds))
        {
            Reset();
        }

        if (_current < 0 || arrivalMilliseconds - _buckets[_current].Start >= BucketMilliseconds)
        {
            _current = (_current + 1) % _buckets.Length;
            _buckets[_current] = (arrivalMilliseconds, transit);
        }
        else
        {
            _buckets[_current].Min = Math.Min(_buckets[_current].Min, transit);
        }

        _interval.Add(transit);
    }

    /// <summary>The median queueing delay of the batches since the last call (0 without any), and starts a new interval.</summary>
    public double TakeQueueingMilliseconds(double nowMilliseconds)
    {
        if (_interval.Count == 0 || Baseline(nowMilliseconds) is not { } baseline)
        {
            _interval.Clear();
            return 0;
        }

        _interval.Sort();
        var median = Percentile.OfSorted(CollectionsMarshal.AsSpan(_interval), 0.5);
        _interval.Clear();
        return Math.Max(0, median - baseline);
    }

    /// <summary>Forgets the baseline (a new connection: the path and the client's media clock may have changed).</summary>
    public void Reset()
    {
        Array.Clear(_buckets);
        _interval.Clear();
        _current = -1;
    }

    private double? Baseline(double nowMilliseconds)
    {
        double? min = null;
        foreach (var (start, bucketMin) in _buckets)
        {
            if (start > 0 && nowMilliseconds - start < WindowMilliseconds + BucketMilliseconds)
            {
                min = Math.Min(min ?? double.MaxValue, bucketMin);
            }
        }

        return min;
    }
}
