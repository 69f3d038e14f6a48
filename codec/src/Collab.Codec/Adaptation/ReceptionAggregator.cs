namespace Collab.Codec.Adaptation;

/// <summary>
/// Aggregates listeners' reception reports for one speaker at a percentile (e.g. the 90th: the speaker adapts to the
/// listener doing worse than nine in ten, not to the single worst phone). Each metric is kept as a fixed histogram,
/// so a report costs O(1) and a snapshot O(buckets) whatever the audience: a 1,000-listener meeting costs the same per
/// report as a 3-listener one. Listeners that stop reporting expire. Thread-safe.
/// </summary>
public sealed class ReceptionAggregator
{
    private const int FractionBuckets = 101;
    private const int MillisecondBuckets = 201;
    private const double MillisecondBucketWidth = 10;
    private readonly Lock _gate = new();
    private readonly TimeSpan _staleAfter;
    private readonly Dictionary<string, LinkedListNode<Entry>> _listeners = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _byAge = new();
    private readonly Histogram _loss = new(FractionBuckets);
    private readonly Histogram _late = new(FractionBuckets);
    private readonly Histogram _concealed = new(FractionBuckets);
    private readonly Histogram _burst = new(MillisecondBuckets);
    private readonly Histogram _jitter = new(MillisecondBuckets);
    private long _packets;

    public ReceptionAggregator(TimeSpan staleAfter) => _staleAfter = staleAfter;

    /// <summary>Takes a listener's latest report, replacing its previous one.</summary>
    public void Record(string listenerId, ReceptionReport report, TimeSpan now)
    {
        var entry = new Entry(listenerId, Buckets.Of(report), report.PacketCount, now);
        lock (_gate)
        {
            if (_listeners.Remove(listenerId, out var previous))
            {
                Subtract(previous.Value);
                _byAge.Remove(previous);
            }

            _listeners[listenerId] = _byAge.AddLast(entry);
            Add(entry);
        }
    }

    /// <summary>Forgets a listener (it left, or switched to text only).</summary>
    public void Remove(string listenerId)
    {
        lock (_gate)
        {
            if (_listeners.Remove(listenerId, out var node))
            {
                Subtract(node.Value);
                _byAge.Remove(node);
            }
        }
    }

    /// <summary>The reception at <paramref name="percentile"/> (0–1) across the listeners that reported recently.</summary>
    public AggregatedReception Snapshot(double percentile, TimeSpan now)
    {
        lock (_gate)
        {
            while (_byAge.First is { } oldest && now - oldest.Value.At > _staleAfter)
            {
                _listeners.Remove(oldest.Value.ListenerId);
                Subtract(oldest.Value);
                _byAge.RemoveFirst();
            }

            var count = _listeners.Count;
            if (count == 0)
            {
                return AggregatedReception.None;
            }

            return new AggregatedReception(
                count,
                percentile,
                _loss.Percentile(percentile, count) / 100.0,
                _burst.Percentile(percentile, count) * MillisecondBucketWidth,
                _late.Percentile(percentile, count) / 100.0,
                _jitter.Percentile(percentile, count) * MillisecondBucketWidth,
                _concealed.Percentile(percentile, count) / 100.0,
                _loss.Percentile(1.0, count) / 100.0,
                (int)Math.Min(int.MaxValue, _packets / count));
        }
    }

    private void Add(Entry entry)
    {
        _loss.Add(entry.Buckets.Loss);
        _late.Add(entry.Buckets.Late);
        _concealed.Add(entry.Buckets.Concealed);
        _burst.Add(entry.Buckets.Burst);
        _jitter.Add(entry.Buckets.Jitter);
        _packets += entry.Packets;
    }

    private void Subtract(Entry entry)
    {
        _loss.Remove(entry.Buckets.Loss);
        _late.Remove(entry.Buckets.Late);
        _concealed.Remove(entry.Buckets.Concealed);
        _burst.Remove(entry.Buckets.Burst);
        _jitter.Remove(entry.Buckets.Jitter);
        _packets -= entry.Packets;
    }

    private sealed record Entry(string ListenerId, Buckets Buckets, int Packets, TimeSpan At);

    private readonly record struct Buckets(int Loss, int Late, int Concealed, int Burst, int Jitter)
    {
        public static Buckets Of(ReceptionReport report) => new(
            Fraction(report.LossFraction),
            Fraction(report.LateFraction),
            Fraction(report.ConcealedFraction),
            Milliseconds(report.MeanLossBurstMilliseconds),
            Milliseconds(report.JitterMilliseconds));

        private static int Fraction(double value) => double.IsFinite(value) ? (int)Math.Round(Math.Clamp(value, 0, 1) * 100) : 0;

        private static int Milliseconds(double value) =>
            double.IsFinite(value) ? (int)Math.Clamp(Math.Ceiling(value / MillisecondBucketWidth), 0, MillisecondBuckets - 1) : 0;
    }

    /// <summary>Counts per bucket; the percentile is the lowest bucket at or below which that share of listeners fall.</summary>
    private sealed class Histogram(int buckets)
    {
        private readonly int[] _counts = new int[buckets];

        public void Add(int bucket) => _counts[bucket]++;

        public void Remove(int bucket) => _counts[bucket]--;

        public int Percentile(double percentile, int total)
        {
            var rank = Math.Max(1, (int)Math.Ceiling(percentile * total));
            var seen = 0;
            for (var bucket = 0; bucket < _counts.Length; bucket++)
            {
                seen += _counts[bucket];
                if (seen >= rank)
                {
                    return bucket;
                }
            }

            return _counts.Length - 1;
        }
    }
}
