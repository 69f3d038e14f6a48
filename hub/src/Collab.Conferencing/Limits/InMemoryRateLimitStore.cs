using System.Collections.Concurrent;

namespace Collab.Conferencing.Limits;

/// <summary>
/// The buckets of a single node. Full buckets are dropped by a sweep at most once a minute, so memory follows the
/// participants who sent something lately, not everyone who ever did.
/// </summary>
public sealed class InMemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string MeetingId, string ParticipantId, RateLimitKind Kind), TokenBucket> _buckets = new();
    private long _nextSweep = time.GetTimestamp() + (long)(s_sweepInterval.TotalSeconds * time.TimestampFrequency);

    public ValueTask<RateLimitDecision> TryTakeAsync(string meetingId, string participantId, RateLimitKind kind, double tokensPerSecond, int burst, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd((meetingId, participantId, kind), _ => new TokenBucket(tokensPerSecond, burst, now, time));
        return ValueTask.FromResult(bucket.TryTake(1, now, out var retryAfter) ? new RateLimitDecision(true, TimeSpan.Zero) : new RateLimitDecision(false, retryAfter));
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
            if (bucket.IsFull(now))
            {
                _buckets.TryRemove(new KeyValuePair<(string, string, RateLimitKind), TokenBucket>(key, bucket));
            }
        }
    }
}
