using Collab.Conferencing.Limits;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The rate-limit store's contract: one bucket per meeting, participant and kind, refilled on the store's clock.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>A fresh rate-limit store that shares nothing with other tests (in memory: on <see cref="Time"/>).</summary>
    protected abstract IRateLimitStore CreateRateLimitStore();

    [Fact]
    public async Task A_bucket_allows_its_burst_then_says_how_long_until_the_next_token()
    {
        var store = CreateRateLimitStore();

        var taken = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            taken.Add((await store.TryTakeAsync("m", "p1", RateLimitKind.Chat, 0.5, 3, Ct)).Allowed);
        }

        var refused = await store.TryTakeAsync("m", "p1", RateLimitKind.Chat, 0.5, 3, Ct);

        Assert.Equal([true, true, true, false], taken);
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Buckets_are_separate_per_participant_kind_and_meeting()
    {
        var store = CreateRateLimitStore();
        Assert.True((await store.TryTakeAsync("m", "p1", RateLimitKind.Chat, 0.01, 1, Ct)).Allowed);
        Assert.False((await store.TryTakeAsync("m", "p1", RateLimitKind.Chat, 0.01, 1, Ct)).Allowed);

        Assert.True((await store.TryTakeAsync("m", "p2", RateLimitKind.Chat, 0.01, 1, Ct)).Allowed);
        Assert.True((await store.TryTakeAsync("m", "p1", RateLimitKind.Vote, 0.01, 1, Ct)).Allowed);
        Assert.True((await store.TryTakeAsync("other", "p1", RateLimitKind.Chat, 0.01, 1, Ct)).Allowed);
    }

    [Fact]
    public async Task An_empty_bucket_refills_at_its_rate()
    {
        // Two tokens a second: a refill takes 500 ms, so a slow round trip to Redis (a busy machine) cannot refill the
        // bucket between the take and the refusal.
        var store = CreateRateLimitStore();
        Assert.True((await store.TryTakeAsync("m", "p1", RateLimitKind.Vote, 2, 1, Ct)).Allowed);
        var refused = await store.TryTakeAsync("m", "p1", RateLimitKind.Vote, 2, 1, Ct);
        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(500));

        // The in-memory store runs on the fake clock, Redis on its own: move both past the retry time, then ask again.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var decision = refused;
        while (!decision.Allowed && DateTime.UtcNow < deadline)
        {
            Time.Advance(decision.RetryAfter);
            await Task.Delay(decision.RetryAfter, Ct);
            decision = await store.TryTakeAsync("m", "p1", RateLimitKind.Vote, 2, 1, Ct);
        }

        Assert.True(decision.Allowed, "a token came back after the retry time");
    }
}
