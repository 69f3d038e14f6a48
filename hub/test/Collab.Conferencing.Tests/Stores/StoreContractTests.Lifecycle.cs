
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The lifecycle store's contract: a bound on live meetings, idle ones by last occupancy, ended ones taken once after retention.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>A fresh lifecycle store that shares nothing with other tests.</summary>
    protected abstract IMeetingLifecycleStore CreateLifecycleStore();

    [Fact]
    public async Task Live_meetings_are_bounded_and_an_ended_one_frees_its_place()
    {
        var store = CreateLifecycleStore();

        Assert.True(await store.TryAddLiveAsync("m1", 1_000, 2, Ct));
        Assert.True(await store.TryAddLiveAsync("m2", 1_000, 2, Ct));
        Assert.True(await store.TryAddLiveAsync("m1", 1_500, 2, Ct)); // already live: no second place
        Assert.False(await store.TryAddLiveAsync("m3", 2_000, 2, Ct));
        Assert.Equal(2, await store.CountLiveAsync(Ct));

        await store.MarkEndedAsync("m1", 3_000, Ct);

        Assert.Equal(1, await store.CountLiveAsync(Ct));
        Assert.True(await store.TryAddLiveAsync("m3", 3_000, 2, Ct));
    }

    [Fact]
    public async Task Idle_meetings_are_those_nobody_was_in_since_the_cutoff_oldest_first()
    {
        var store = CreateLifecycleStore();
        await store.TryAddLiveAsync("old", 1_000, 10, Ct);
        await store.TryAddLiveAsync("older", 500, 10, Ct);
        await store.TryAddLiveAsync("busy", 1_000, 10, Ct);
        await store.TryAddLiveAsync("ended", 1_000, 10, Ct);
        await store.MarkEndedAsync("ended", 1_200, Ct);

        await store.MarkOccupiedAsync(["busy", "ended", "unknown"], 5_000, Ct);

        Assert.Equal(["older", "old"], await store.ListIdleAsync(4_000, 10, Ct));
        Assert.Equal(["older"], await store.ListIdleAsync(4_000, 1, Ct));
        Assert.Equal(3, await store.CountLiveAsync(Ct)); // occupying an ended or unknown meeting does not make it live
    }

    [Fact]
    public async Task Ended_meetings_are_taken_once_after_their_retention()
    {
        var store = CreateLifecycleStore();
        foreach (var (id, endedAt) in new[] { ("a", 1_000L), ("b", 2_000L), ("c", 9_000L) })
        {
            await store.TryAddLiveAsync(id, 0, 10, Ct);
            await store.MarkEndedAsync(id, endedAt, Ct);
        }

        await store.MarkEndedAsync("a", 8_000, Ct); // ending again keeps the first end time

        Assert.Equal(["a", "b"], await store.TakeExpiredAsync(5_000, 10, Ct));
        Assert.Empty(await store.TakeExpiredAsync(5_000, 10, Ct));
        Assert.Equal(["c"], await store.TakeExpiredAsync(10_000, 10, Ct));
    }
}
