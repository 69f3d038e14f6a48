using Collab.Codec.Adaptation;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Adaptation;

/// <summary>The adapter on scripted link traces: one report a second, each trace a list of (seconds, report).</summary>
public sealed class LinkAdapterTests
{
    private static readonly LinkReport s_clean = new(0, 0, 0, 5, 80, 0);

    [Fact]
    public void A_clean_link_climbs_one_rung_per_hold_to_the_best_profile()
    {
        var adapter = new LinkAdapter();
        var trace = Run(adapter, Enumerable.Range(0, 40).Select(_ => s_clean));

        Assert.Equal("standard", trace[0]);
        Assert.Equal("standard", trace[7]);
        Assert.Equal("wide-fec", trace[8]);
        Assert.Equal("wide-fec", trace[16]);
        Assert.Equal("clear", trace[17]);
        Assert.Equal(2, Changes(trace));
    }

    [Fact]
    public void A_stall_shows_as_late_packets_and_drops_at_once_to_protection()
    {
        var adapter = new LinkAdapter(initial: ProfileLadder.Clear);
        var reports = Enumerable.Repeat(s_clean, 3)
            .Append(s_clean with { LateFraction = 0.4, SendBacklogMilliseconds = 900, JitterMilliseconds = 300 })
            .Concat(Enumerable.Repeat(s_clean, 4));

        var trace = Run(adapter, reports);

        Assert.Equal("clear", trace[2]);
        Assert.Equal("heavy-red", trace[3]);
        Assert.Equal("heavy-red", trace[7]);
    }

    [Fact]
    public void A_loss_burst_picks_heavy_redundancy_and_light_random_loss_picks_fec()
    {
        var bursty = Run(new LinkAdapter(), [s_clean with { LossFraction = 0.2, MeanLossBurstMilliseconds = 120 }]);
        var light = Run(new LinkAdapter(), [s_clean with { LossFraction = 0.04, MeanLossBurstMilliseconds = 42 }]);
        var moderate = Run(new LinkAdapter(), [s_clean with { LossFraction = 0.12, MeanLossBurstMilliseconds = 65 }]);

        Assert.Equal("heavy-red", bursty[0]);
        Assert.Equal("wide-fec", light[0]);
        Assert.Equal("wide-red", moderate[0]);
    }

    [Fact]
    public void Recovery_after_loss_is_slow_and_stepwise()
    {
        var adapter = new LinkAdapter();
        var reports = Enumerable.Repeat(s_clean with { LossFraction = 0.25, MeanLossBurstMilliseconds = 90 }, 5)
            .Concat(Enumerable.Repeat(s_clean, 60));

        var trace = Run(adapter, reports);

        Assert.Equal("heavy-red", trace[4]);
        Assert.Equal("heavy-red", trace[12]);
        var climbs = Enumerable.Range(5, trace.Count - 5).Where(second => trace[second] != trace[second - 1]).ToList();
        Assert.True(climbs.Count >= 2, $"climbed in {climbs.Count} steps");
        Assert.All(climbs.Zip(climbs.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 8, "two climbs within one hold"));
        var rungs = trace.Skip(4).Distinct().Select(Rank).ToList();
        Assert.Equal(rungs.OrderDescending(), rungs);
        Assert.Equal("clear", trace[^1]);
    }

    [Fact]
    public void A_bandwidth_cliff_drops_to_what_the_link_carries_immediately()
    {
        var adapter = new LinkAdapter(initial: ProfileLadder.Clear);
        var trace = Run(adapter, [s_clean with { AvailableKilobitsPerSecond = 2_000 }, s_clean with { AvailableKilobitsPerSecond = 24 }]);

        Assert.Equal("clear", trace[0]);
        Assert.Equal("lifeline", trace[1]);
        Assert.True(ProfileLadder.Lifeline.NominalWireKilobitsPerSecond <= 24 * 0.7);
    }

    [Fact]
    public void A_measured_capacity_keeps_every_rung_within_it_until_the_capacity_memory_ends()
    {
        // An edge uplink of 50 kbit/s: the climb to wide-fec overloaded it, the speaker measured what it carried.
        var adapter = new LinkAdapter(initial: ProfileLadder.WideFec);
        var queued = s_clean with { SendBacklogMilliseconds = 400 };
        var trace = Run(adapter, [queued, queued with { AvailableKilobitsPerSecond = 50 }, .. Enumerable.Repeat(s_clean, 130)]);

        Assert.Equal("standard", trace[1]);
        Assert.True(ProfileLadder.Standard.NominalWireKilobitsPerSecond <= 50 * 0.7);
        Assert.True(ProfileLadder.WideFec.NominalWireKilobitsPerSecond > 50 * 0.7);
        Assert.All(trace.Skip(1).Take(120), rung => Assert.True(ProfileLadder.TryGetByName(rung, out var p) && p.NominalWireKilobitsPerSecond <= 35, rung));
        Assert.Equal("wide-fec", trace[^1]);
    }

    [Fact]
    public void Retransmission_stalls_of_one_report_each_are_not_congestion()
    {
        var stall = s_clean with { SendBacklogMilliseconds = 300 };
        var trace = Run(new LinkAdapter(), Enumerable.Range(0, 40).Select(second => second % 5 == 3 ? stall : s_clean));

        Assert.Equal(Run(new LinkAdapter(), Enumerable.Repeat(s_clean, 40)), trace);
        Assert.Equal("clear", trace[^1]);
    }

    [Fact]
    public void A_persistent_uplink_delay_steps_down_on_its_second_report_and_only_once()
    {
        var queued = s_clean with { SendBacklogMilliseconds = 400 };
        var trace = Run(new LinkAdapter(initial: ProfileLadder.Clear), [s_clean, queued, queued, queued, queued, queued, s_clean]);

        Assert.Equal("clear", trace[1]);
        Assert.Equal("wide-fec", trace[2]);
        Assert.True(ProfileLadder.WideFec.NominalWireKilobitsPerSecond <= ProfileLadder.Clear.NominalWireKilobitsPerSecond * 0.7);
        Assert.All(trace.Skip(2), rung => Assert.Equal("wide-fec", rung));
    }

    [Fact]
    public void A_marginal_link_does_not_flap_the_hold_doubles_after_each_failed_upgrade()
    {
        var adapter = new LinkAdapter(initial: ProfileLadder.WideFec);
        var holds = new List<TimeSpan>();
        var now = TimeSpan.Zero;
        var changes = 0;

        // Clean for as long as the hold, then 5% loss as soon as the adapter climbs to clear: every climb fails.
        for (var second = 0; second < 300; second++, now += TimeSpan.FromSeconds(1))
        {
            var report = adapter.Current == ProfileLadder.Clear ? s_clean with { LossFraction = 0.05, MeanLossBurstMilliseconds = 20 } : s_clean;
            var decision = adapter.Update(report, now);
            changes += decision.Changed ? 1 : 0;
            holds.Add(adapter.UpgradeHold);
        }

        Assert.Equal(TimeSpan.FromSeconds(64), holds[^1]);
        Assert.InRange(changes, 6, 16);
    }

    [Fact]
    public void Long_round_trips_choose_longer_frames()
    {
        var satellite = Run(new LinkAdapter(), [s_clean with { RoundTripMilliseconds = 1_300 }]);
        var congested = Run(new LinkAdapter(), [s_clean with { RoundTripMilliseconds = 600 }]);

        Assert.Equal(60, ProfileLadder.TryGetByName(satellite[0], out var s) ? s.FrameMilliseconds : 0);
        Assert.True(ProfileLadder.TryGetByName(congested[0], out var c) && c.FrameMilliseconds >= 40);
    }

    [Fact]
    public void The_same_trace_gives_the_same_decisions()
    {
        var random = new Random(7);
        var reports = Enumerable.Range(0, 120)
            .Select(_ => s_clean with { LossFraction = random.NextDouble() * 0.3, MeanLossBurstMilliseconds = random.Next(0, 150), RoundTripMilliseconds = random.Next(50, 900) })
            .ToList();

        Assert.Equal(Run(new LinkAdapter(), reports), Run(new LinkAdapter(), reports));
    }

    [Fact]
    public void Redundant_rungs_keep_their_planned_loss_while_fec_and_plain_rungs_plan_for_the_measured_loss()
    {
        var redundant = new LinkAdapter();
        var fec = new LinkAdapter();

        var burst = redundant.Update(s_clean with { LossFraction = 0.3, MeanLossBurstMilliseconds = 100 }, TimeSpan.Zero);
        var light = fec.Update(s_clean with { LossFraction = 0.07, MeanLossBurstMilliseconds = 40 }, TimeSpan.Zero);

        Assert.Equal(ProfileLadder.HeavyRedundant, burst.Profile);
        Assert.Equal(ProfileLadder.HeavyRedundant.ExpectedLossPercent, burst.ExpectedLossPercent);
        Assert.Equal(ProfileLadder.WideFec, light.Profile);
        Assert.Equal(7, light.ExpectedLossPercent);
    }

    private static List<string> Run(LinkAdapter adapter, IEnumerable<LinkReport> reports) =>
        [.. reports.Select((report, second) => adapter.Update(report, TimeSpan.FromSeconds(second)).Profile.Name)];

    private static int Rank(string rung) => s_rungPreference.IndexOf(rung);

    private static readonly List<string> s_rungPreference = ["clear", "wide-fec", "standard", "wide-red", "heavy-red", "burst-red", "narrow-red", "lifeline"];

    private static int Changes(List<string> trace) => trace.Zip(trace.Skip(1)).Count(pair => pair.First != pair.Second);
}
