using Collab.Conferencing.Model;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Presence_upsert_reports_new_arrivals_and_keeps_a_raised_hand()
    {
        var stores = await CreateStoresAsync();

        Assert.True(await stores.Presence.UpsertAsync("m", Entry("p1", "Ana 👋 \"Ñ\"", "c1"), 10_000, Ct));
        Assert.Equal("Ana 👋 \"Ñ\"", (await stores.Presence.SetHandAsync("m", "p1", raised: true, Ct))?.DisplayName);
        Assert.False(await stores.Presence.UpsertAsync("m", Entry("p1", "Ana 👋 \"Ñ\"", "c2"), 20_000, Ct));
        Assert.True(await stores.Presence.UpsertAsync("m", Entry("p2", "Ben", "c3"), 10_000, Ct));
        Assert.Null(await stores.Presence.SetHandAsync("m", "nobody", raised: true, Ct));

        var present = await stores.Presence.ListAsync("m", 5_000, Ct);

        Assert.Equal(["Ana 👋 \"Ñ\"", "Ben"], present.Select(p => p.DisplayName));
        Assert.True(present[0].HandRaised);
        Assert.Equal(ParticipantRole.Participant, present[1].Role);
        Assert.Empty(await stores.Presence.ListAsync("other", 5_000, Ct));
    }

    [Fact]
    public async Task Presence_counts_each_meeting_s_entries_until_they_are_removed_or_swept()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.UpsertAsync("m", Entry("p1", "Ana", "c1"), 10_000, Ct);
        await stores.Presence.UpsertAsync("m", Entry("p1", "Ana", "c2"), 10_000, Ct);
        await stores.Presence.UpsertAsync("m", Entry("p2", "Ben", "c3"), 10_000, Ct);
        await stores.Presence.UpsertAsync("m", Entry("p3", "Cy", "c4"), 30_000, Ct);
        await stores.Presence.UpsertAsync("other", Entry("p4", "Di", "c5"), 10_000, Ct);

        Assert.Equal(3, await stores.Presence.CountAsync("m", Ct));
        await stores.Presence.RemoveAsync("m", "p2", null, Ct);
        Assert.Equal(2, await stores.Presence.CountAsync("m", Ct));
        await stores.Presence.RemoveExpiredAsync(20_000, 100, Ct);
        Assert.Equal(1, await stores.Presence.CountAsync("m", Ct));
        Assert.Equal(0, await stores.Presence.CountAsync("other", Ct));
        Assert.Equal(0, await stores.Presence.CountAsync("nobody-here", Ct));
    }

    [Fact]
    public async Task Presence_expires_unless_touched_and_each_expired_entry_is_swept_once()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.UpsertAsync("m", Entry("p1", "Ana", "c1"), 10_000, Ct);
        await stores.Presence.UpsertAsync("m", Entry("p2", "Ben", "c2"), 10_000, Ct);
        await stores.Presence.UpsertAsync("n", Entry("p3", "Cy", "c3"), 10_000, Ct);

        Assert.True(await stores.Presence.TouchAsync("m", "p1", 30_000, Ct));
        Assert.False(await stores.Presence.TouchAsync("m", "nobody", 30_000, Ct));
        Assert.Equal(["Ana"], (await stores.Presence.ListAsync("m", 15_000, Ct)).Select(p => p.DisplayName));

        var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => stores.Presence.RemoveExpiredAsync(15_000, 100, Ct))).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var swept = sweeps.SelectMany(batch => batch).Order().ToList();

        Assert.Equal([("m", "p2"), ("n", "p3")], swept);
        Assert.False(await stores.Presence.TouchAsync("m", "p2", 40_000, Ct));
        Assert.Empty(await stores.Presence.RemoveExpiredAsync(15_000, 100, Ct));
    }

    [Fact]
    public async Task Presence_is_removed_only_by_the_connection_that_owns_it()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.UpsertAsync("m", Entry("p1", "Ana", "old"), 10_000, Ct);
        await stores.Presence.UpsertAsync("m", Entry("p1", "Ana", "new"), 10_000, Ct);

        Assert.False(await stores.Presence.RemoveAsync("m", "p1", "old", Ct));
        Assert.Single(await stores.Presence.ListAsync("m", 0, Ct));
        Assert.True(await stores.Presence.RemoveAsync("m", "p1", "new", Ct));
        Assert.Empty(await stores.Presence.ListAsync("m", 0, Ct));
        Assert.False(await stores.Presence.RemoveAsync("m", "p1", null, Ct));
    }

    private static PresenceEntry Entry(string participantId, string name, string connectionId) =>
        new(new ParticipantView(participantId, name, ParticipantRole.Participant, HandRaised: false), connectionId);
}
