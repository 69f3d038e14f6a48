using Collab.Conferencing.Lobby;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The lobby store's contract: settings with a version, waiters in arrival order, one taker per waiter, exclusions.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>A fresh lobby store that shares nothing with other tests.</summary>
    protected abstract ILobbyStore CreateLobbyStore();

    [Fact]
    public async Task Lobby_settings_change_one_at_a_time_and_every_change_bumps_the_version()
    {
        var store = CreateLobbyStore();

        Assert.Equal((false, false, 0, 0L), Summary(await store.GetAsync("m", Ct)));
        var on = await store.SetAsync("m", enabled: true, locked: null, Ct);
        var locked = await store.SetAsync("m", enabled: null, locked: true, Ct);
        var off = await store.SetAsync("m", enabled: false, locked: null, Ct);

        Assert.Equal((true, false), (on.Enabled, on.Locked));
        Assert.Equal((true, true), (locked.Enabled, locked.Locked));
        Assert.Equal((false, true), (off.Enabled, off.Locked));
        Assert.True(on.Version < locked.Version && locked.Version < off.Version);
        Assert.Equal(Summary(off), Summary(await store.GetAsync("m", Ct)));
        Assert.Equal((false, false, 0, 0L), Summary(await store.GetAsync("other", Ct)));
    }

    private static (bool Enabled, bool Locked, int Waiting, long Version) Summary(LobbyState state) => (state.Enabled, state.Locked, state.Waiting.Count, state.Version);

    [Fact]
    public async Task Waiters_are_listed_oldest_first_keep_their_place_when_they_come_back_and_are_bounded()
    {
        var store = CreateLobbyStore();

        await store.AddWaiterAsync("m", new Waiter("w2", "Ben", 2_000, "c2"), 3, Ct);
        await store.AddWaiterAsync("m", new Waiter("w1", "Ana \"A\" ✓", 1_000, "c1"), 3, Ct);
        await store.AddWaiterAsync("m", new Waiter("w3", "Cy", 3_000, "c3"), 3, Ct);
        var back = await store.AddWaiterAsync("m", new Waiter("w1", "Ana \"A\" ✓", 9_000, "c9"), 3, Ct);
        var full = await store.AddWaiterAsync("m", new Waiter("w4", "Dee", 4_000, "c4"), 3, Ct);

        Assert.NotNull(back);
        Assert.Equal(
            [new Waiter("w1", "Ana \"A\" ✓", 1_000, "c9"), new Waiter("w2", "Ben", 2_000, "c2"), new Waiter("w3", "Cy", 3_000, "c3")],
            back.Waiting);
        Assert.Null(full);
        Assert.Equal(back.Waiting, (await store.GetAsync("m", Ct)).Waiting);
        Assert.Empty((await store.GetAsync("other", Ct)).Waiting);
    }

    [Fact]
    public async Task A_waiter_is_taken_once_only_by_its_own_connection_when_one_is_named_and_a_denial_is_remembered()
    {
        var store = CreateLobbyStore();
        await store.AddWaiterAsync("m", new Waiter("w1", "Ana", 1_000, "c1"), 10, Ct);
        await store.AddWaiterAsync("m", new Waiter("w2", "Troll", 2_000, "c2"), 10, Ct);
        var before = await store.GetAsync("m", Ct);

        var otherConnection = await store.TakeWaiterAsync("m", "w1", "c-old", null, Ct);
        var admitted = await store.TakeWaiterAsync("m", "w1", null, null, Ct);
        var again = await store.TakeWaiterAsync("m", "w1", null, null, Ct);
        var denied = await store.TakeWaiterAsync("m", "w2", "c2", Exclusion.Denied, Ct);

        Assert.Null(otherConnection.Taken);
        Assert.Equal(before.Version, otherConnection.State.Version);
        Assert.Equal(new Waiter("w1", "Ana", 1_000, "c1"), admitted.Taken);
        Assert.Equal(["w2"], admitted.State.Waiting.Select(w => w.Id));
        Assert.True(admitted.State.Version > before.Version);
        Assert.Null(again.Taken);
        Assert.Equal("w2", denied.Taken?.Id);
        Assert.Empty(denied.State.Waiting);
        Assert.Equal(Exclusion.Denied, await store.GetExclusionAsync("m", "w2", Ct));
        Assert.Null(await store.GetExclusionAsync("m", "w1", Ct));
    }

    [Fact]
    public async Task Exclusions_are_kept_per_meeting_and_participant()
    {
        var store = CreateLobbyStore();

        await store.ExcludeAsync("m", "p1", Exclusion.Removed, Ct);

        Assert.Equal(Exclusion.Removed, await store.GetExclusionAsync("m", "p1", Ct));
        Assert.Null(await store.GetExclusionAsync("m", "p2", Ct));
        Assert.Null(await store.GetExclusionAsync("other", "p1", Ct));
    }
}
