
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Presence_arrival_reports_the_first_holder_only_and_keeps_a_raised_hand()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("node-a", 10_000, Ct);
        await stores.Presence.AcquireLeaseAsync("node-b", 10_000, Ct);

        Assert.Equal(PresenceChange.Joined, await stores.Presence.ArriveAsync("m", "node-a", View("p1", "Ana 👋 \"Ñ\""), 1_000, Ct));
        Assert.Equal("Ana 👋 \"Ñ\"", (await stores.Presence.SetHandAsync("m", "p1", raised: true, Ct))?.DisplayName);
        Assert.Equal(PresenceChange.None, await stores.Presence.ArriveAsync("m", "node-a", View("p1", "Ana 👋 \"Ñ\""), 1_000, Ct));
        Assert.Equal(PresenceChange.None, await stores.Presence.ArriveAsync("m", "node-b", View("p1", "Ana 👋 \"Ñ\""), 1_000, Ct));
        Assert.Equal(PresenceChange.Joined, await stores.Presence.ArriveAsync("m", "node-b", View("p2", "Ben"), 1_000, Ct));
        Assert.Null(await stores.Presence.SetHandAsync("m", "nobody", raised: true, Ct));

        var present = await stores.Presence.ListAsync("m", 5_000, Ct);

        Assert.Equal(["Ana 👋 \"Ñ\"", "Ben"], present.Select(p => p.DisplayName));
        Assert.True(present[0].HandRaised);
        Assert.Equal(ParticipantRole.Participant, present[1].Role);
        Assert.Empty(await stores.Presence.ListAsync("other", 5_000, Ct));
        Assert.Equal(2, await stores.Presence.CountAsync("m", Ct));
        Assert.Equal(0, await stores.Presence.CountAsync("nobody-here", Ct));
        Assert.Equal([("m", "p1")], await stores.Presence.NodeParticipantsAsync("node-a", Ct));
        Assert.Equal([("m", "p1"), ("m", "p2")], (await stores.Presence.NodeParticipantsAsync("node-b", Ct)).Order());
    }

    [Fact]
    public async Task Presence_lasts_while_any_node_holds_the_participant_and_the_last_departure_reports_it_once()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("node-a", 10_000, Ct);
        await stores.Presence.AcquireLeaseAsync("node-b", 10_000, Ct);
        await stores.Presence.ArriveAsync("m", "node-a", View("p1", "Ana"), 1_000, Ct);
        await stores.Presence.ArriveAsync("m", "node-b", View("p1", "Ana"), 1_000, Ct);

        Assert.Equal(PresenceChange.None, await stores.Presence.DepartAsync("m", "node-a", "p1", 2_000, Ct));
        Assert.Single(await stores.Presence.ListAsync("m", 2_000, Ct));
        Assert.Equal(PresenceChange.None, await stores.Presence.DepartAsync("m", "node-a", "p1", 2_000, Ct));
        Assert.Equal(PresenceChange.Left, await stores.Presence.DepartAsync("m", "node-b", "p1", 2_000, Ct));
        Assert.Equal(PresenceChange.None, await stores.Presence.DepartAsync("m", "node-b", "p1", 2_000, Ct));

        Assert.Empty(await stores.Presence.ListAsync("m", 2_000, Ct));
        Assert.Equal(0, await stores.Presence.CountAsync("m", Ct));
        Assert.Empty(await stores.Presence.NodeParticipantsAsync("node-a", Ct));
        Assert.Empty(await stores.Presence.NodeParticipantsAsync("node-b", Ct));
    }

    [Fact]
    public async Task A_heartbeat_renews_the_lease_and_idle_time_writes_nothing_per_participant()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("node-a", 10_000, Ct);
        for (var i = 0; i < 50; i++)
        {
            await stores.Presence.ArriveAsync("m", "node-a", View($"p{i}", $"P{i}"), 1_000, Ct);
        }

        // Only the lease moves: the participants stay listed long past the first expiry.
        var first = await stores.Presence.HeartbeatAsync("node-a", 9_000, 29_000, 29_000, 8, Ct);
        var second = await stores.Presence.HeartbeatAsync("node-a", 25_000, 45_000, 45_000, 8, Ct);

        Assert.True(first.LeaseHeld);
        Assert.Equal(50, first.Recorded);
        Assert.Empty(first.Claimed);
        Assert.True(second.LeaseHeld);
        Assert.Empty(second.Claimed);
        Assert.Equal(50, (await stores.Presence.ListAsync("m", 40_000, Ct)).Count);
        Assert.Empty(await stores.Presence.ListAsync("m", 45_000, Ct));
    }

    [Fact]
    public async Task A_lapsed_node_is_claimed_by_one_caller_and_its_participants_leave_once_unless_another_node_holds_them()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("dead", 10_000, Ct);
        await stores.Presence.AcquireLeaseAsync("alive", 10_000, Ct);
        for (var i = 0; i < 30; i++)
        {
            await stores.Presence.ArriveAsync(i % 2 == 0 ? "m" : "n", "dead", View($"p{i}", $"P{i}"), 1_000, Ct);
        }

        await stores.Presence.ArriveAsync("m", "alive", View("p0", "P0"), 1_000, Ct);
        await stores.Presence.HeartbeatAsync("alive", 9_000, 30_000, 30_000, 8, Ct);

        // Past the dead node's expiry its participants drop out of lists at once; the one also held elsewhere stays.
        Assert.Equal(["P0"], (await stores.Presence.ListAsync("m", 11_000, Ct)).Select(p => p.DisplayName));
        var beats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => stores.Presence.HeartbeatAsync("alive", 11_000, 31_000, 31_000, 8, Ct))).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(["dead"], beats.SelectMany(beat => beat.Claimed));

        // Two sweepers of the same node (the claim moved on) still report each departure once.
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => stores.Presence.SweepNodeAsync("dead", 7, Ct))).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var left = sweeps.SelectMany(sweep => sweep.Left).ToList();
        for (var i = 0; i < 10 && !sweeps.Any(sweep => sweep.Done); i++)
        {
            var next = await stores.Presence.SweepNodeAsync("dead", 7, Ct);
            left.AddRange(next.Left);
            sweeps = [next];
        }

        Assert.Equal(29, left.Count);
        Assert.Equal(29, left.Distinct().Count());
        Assert.DoesNotContain(("m", "p0"), left);
        Assert.Equal(1, await stores.Presence.CountAsync("m", Ct));
        Assert.Equal(0, await stores.Presence.CountAsync("n", Ct));
        Assert.Empty(await stores.Presence.NodeParticipantsAsync("dead", Ct));
        Assert.DoesNotContain("dead", (await stores.Presence.HeartbeatAsync("alive", 50_000, 70_000, 70_000, 8, Ct)).Claimed);
    }

    [Fact]
    public async Task A_claim_whose_sweeper_died_is_claimed_again_after_its_deadline()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("dead", 10_000, Ct);
        await stores.Presence.AcquireLeaseAsync("alive", 100_000, Ct);
        await stores.Presence.ArriveAsync("m", "dead", View("p1", "Ana"), 1_000, Ct);

        Assert.Equal(["dead"], (await stores.Presence.HeartbeatAsync("alive", 11_000, 100_000, 20_000, 8, Ct)).Claimed);
        Assert.Empty((await stores.Presence.HeartbeatAsync("alive", 15_000, 100_000, 25_000, 8, Ct)).Claimed);
        Assert.Equal(["dead"], (await stores.Presence.HeartbeatAsync("alive", 21_000, 100_000, 30_000, 8, Ct)).Claimed);

        var sweep = await stores.Presence.SweepNodeAsync("dead", 100, Ct);

        Assert.Equal([("m", "p1")], sweep.Left);
        Assert.True(sweep.Done);
        Assert.Empty((await stores.Presence.HeartbeatAsync("alive", 40_000, 100_000, 50_000, 8, Ct)).Claimed);
    }

    [Fact]
    public async Task A_lease_past_its_expiry_is_never_renewed_and_its_node_records_nothing_more()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("stalled", 10_000, Ct);
        await stores.Presence.ArriveAsync("m", "stalled", View("p1", "Ana"), 1_000, Ct);

        // The node wakes after its expiry, before anyone swept it: it has lost the lease all the same.
        var beat = await stores.Presence.HeartbeatAsync("stalled", 12_000, 32_000, 32_000, 0, Ct);
        var arrival = await stores.Presence.ArriveAsync("m", "stalled", View("p2", "Ben"), 12_000, Ct);

        Assert.False(beat.LeaseHeld);
        Assert.Equal(PresenceChange.LeaseLost, arrival);
        Assert.Equal(1, await stores.Presence.CountAsync("m", Ct));
        Assert.Empty(await stores.Presence.ListAsync("m", 12_000, Ct));

        // Under a new id it records its participants again; the old id's sweep then removes no one.
        await stores.Presence.AcquireLeaseAsync("stalled-2", 32_000, Ct);
        Assert.Equal(PresenceChange.None, await stores.Presence.ArriveAsync("m", "stalled-2", View("p1", "Ana"), 12_000, Ct));
        Assert.Equal(["stalled"], (await stores.Presence.HeartbeatAsync("stalled-2", 12_000, 32_000, 32_000, 8, Ct)).Claimed);
        var sweep = await stores.Presence.SweepNodeAsync("stalled", 100, Ct);

        Assert.Empty(sweep.Left);
        Assert.True(sweep.Done);
        Assert.Equal(["Ana"], (await stores.Presence.ListAsync("m", 13_000, Ct)).Select(p => p.DisplayName));
    }

    [Fact]
    public async Task A_departure_also_drops_holders_whose_leases_lapsed()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("dead", 10_000, Ct);
        await stores.Presence.AcquireLeaseAsync("alive", 100_000, Ct);
        await stores.Presence.ArriveAsync("m", "dead", View("p1", "Ana"), 1_000, Ct);
        await stores.Presence.ArriveAsync("m", "alive", View("p1", "Ana"), 1_000, Ct);

        Assert.Equal(PresenceChange.Left, await stores.Presence.DepartAsync("m", "alive", "p1", 11_000, Ct));
        await stores.Presence.HeartbeatAsync("alive", 11_000, 100_000, 30_000, 8, Ct);
        var sweep = await stores.Presence.SweepNodeAsync("dead", 100, Ct);

        Assert.Empty(sweep.Left);
        Assert.Equal(0, await stores.Presence.CountAsync("m", Ct));
    }

    private static ParticipantView View(string participantId, string name) => new(participantId, name, ParticipantRole.Participant, HandRaised: false);
}
