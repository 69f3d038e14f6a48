using System.Collections.Concurrent;

namespace Collab.Conferencing.Limits;

/// <summary>
/// The buckets of a single node. Full buckets are dropped by a sweep at most once a minute, so memory follows the
/// participants who sent something lately, not everyone who ever did.
/// </summary>
public sealed class InMemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string MeetingId, string ParticipantId, RateLimitKind Kind), Bucket> _buckets = new();
    private long _nextSweep = time.GetTimestamp() + (long)(s_sweepInterval.TotalSeconds * time.TimestampFrequency);

    public ValueTask<RateLimitDecision> TryTakeAsync(string meetingId, string participantId, RateLimitKind kind, double tokensPerSecond, int burst, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd((meetingId, participantId, kind), _ => new Bucket(burst, now, tokensPerSecond, burst));
        lock (bucket)
        {
            bucket.Refill(now, time);
            if (bucket.Tokens < 1)
            {
                return ValueTask.FromResult(new RateLimitDecision(false, TimeSpan.FromSeconds((1 - bucket.Tokens) / tokensPerSecond)));
            }

            bucket.Tokens--;
            return ValueTask.FromResult(new RateLimitDecision(true, TimeSpan.Zero));
        }
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(s_sweepInterval.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, time);
                if (bucket.Tokens >= bucket.Burst)
                {
                    _buckets.TryRemove(new KeyValuePair<(string, string, RateLimitKind), Bucket>(key, bucket));
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long refilled, double rate, int burst)
    {
        public double Tokens { get; set; } = tokens;

        public int Burst => burst;

        public void Refill(long now, TimeProvider time)
        {
            if (now > refilled)
            {
                Tokens = Math.Min(burst, Tokens + (time.GetElapsedTime(refilled, now).TotalSeconds * rate));
                refilled = now;
            }
        }
    }
}
