using Collab.Conferencing.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Collab.Conferencing.Tests.RateLimiting;

/// <summary>The one token bucket behind the call limits and a speaker's audio byte budget.</summary>
public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_full_bucket_gives_its_capacity_then_refuses_saying_when_the_next_token_comes()
    {
        var bucket = new TokenBucket(tokensPerSecond: 2, capacity: 3, _time.GetTimestamp(), _time);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(bucket.TryTake(1, _time.GetTimestamp(), out var none));
            Assert.Equal(TimeSpan.Zero, none);
        }

        Assert.False(bucket.TryTake(1, _time.GetTimestamp(), out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retryAfter);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake(1, _time.GetTimestamp(), out _));
    }

    [Fact]
    public void Refill_stops_at_capacity_and_amounts_larger_than_one_are_taken_whole_or_not_at_all()
    {
        var bucket = new TokenBucket(tokensPerSecond: 1_000, capacity: 4_000, _time.GetTimestamp(), _time);

        Assert.True(bucket.TryTake(3_000, _time.GetTimestamp(), out _));
        Assert.False(bucket.TryTake(1_500, _time.GetTimestamp(), out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retryAfter);
        Assert.False(bucket.IsFull(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(bucket.IsFull(_time.GetTimestamp()));
        Assert.True(bucket.TryTake(4_000, _time.GetTimestamp(), out _));
        Assert.False(bucket.TryTake(1, _time.GetTimestamp(), out _));
    }

    [Fact]
    public void A_timestamp_older_than_the_last_refill_takes_nothing_away()
    {
        var before = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));
        var bucket = new TokenBucket(tokensPerSecond: 10, capacity: 10, _time.GetTimestamp(), _time);

        Assert.True(bucket.TryTake(5, _time.GetTimestamp(), out _));
        Assert.True(bucket.TryTake(5, before, out _));
        Assert.False(bucket.TryTake(1, before, out _));
    }
}
