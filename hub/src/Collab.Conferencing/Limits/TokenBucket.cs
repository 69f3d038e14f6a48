namespace Collab.Conferencing.Limits;

/// <summary>
/// A token bucket: <paramref name="capacity"/> tokens, refilled at <paramref name="tokensPerSecond"/> on the
/// <see cref="TimeProvider"/>'s timestamps, starting full. The one bucket behind the per-participant call limits
/// (<see cref="InMemoryRateLimitStore"/>; the Redis store runs the same arithmetic in a script) and a speaker's audio
/// byte budget. Thread-safe; a timestamp older than the last refill (callers racing outside the lock) adds nothing.
/// </summary>
internal sealed class TokenBucket(double tokensPerSecond, double capacity, long now, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly double _capacity = capacity;
    private double _tokens = capacity;
    private long _refilledAt = now;

    /// <summary>Takes <paramref name="amount"/> tokens if the bucket holds them, else says how long until it will.</summary>
    public bool TryTake(double amount, long now, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill(now);
            if (_tokens < amount)
            {
                retryAfter = TimeSpan.FromSeconds((amount - _tokens) / tokensPerSecond);
                return false;
            }

            _tokens -= amount;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>Whether the bucket has refilled to capacity by <paramref name="now"/> (nothing to remember for it).</summary>
    public bool IsFull(long now)
    {
        lock (_gate)
        {
            Refill(now);
            return _tokens >= _capacity;
        }
    }

    private void Refill(long now)
    {
        if (now > _refilledAt)
        {
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * tokensPerSecond));
            _refilledAt = now;
        }
    }
}
