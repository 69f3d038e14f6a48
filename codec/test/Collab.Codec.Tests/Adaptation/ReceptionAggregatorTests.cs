using Collab.Codec.Adaptation;

namespace Collab.Codec.Tests.Adaptation;

public sealed class ReceptionAggregatorTests
{
    private static readonly TimeSpan s_stale = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_90th_percentile_listener_sets_the_figures_not_the_single_worst()
    {
        var aggregator = new ReceptionAggregator(s_stale);
        for (var i = 0; i < 1_000; i++)
        {
            // 900 listeners at 2 % loss, 90 at 10 %, 10 at 60 % (a few phones on a dying link).
            var loss = i < 900 ? 0.02 : i < 990 ? 0.10 : 0.60;
            aggregator.Record($"listener-{i}", new ReceptionReport(loss, 40, 0.01, 12, loss / 2, 25), TimeSpan.Zero);
        }

        var p90 = aggregator.Snapshot(0.90, TimeSpan.FromSeconds(1));
        var p95 = aggregator.Snapshot(0.95, TimeSpan.FromSeconds(1));

        Assert.Equal(1_000, p90.Listeners);
        Assert.Equal(0.02, p90.LossFraction, 1e-9);
        Assert.Equal(0.10, p95.LossFraction, 1e-9);
        Assert.Equal(0.60, p90.WorstLossFraction, 1e-9);
        Assert.Equal(40, p90.MeanLossBurstMilliseconds);
        Assert.Equal(20, p90.JitterMilliseconds);
        Assert.Equal(25, p90.PacketCount);
    }

    [Fact]
    public void A_new_report_replaces_the_listeners_previous_one()
    {
        var aggregator = new ReceptionAggregator(s_stale);
        aggregator.Record("a", new ReceptionReport(0.5, 100, 0, 0, 0, 25), TimeSpan.Zero);
        aggregator.Record("a", new ReceptionReport(0.0, 0, 0, 0, 0, 25), TimeSpan.FromSeconds(1));

        var snapshot = aggregator.Snapshot(1.0, TimeSpan.FromSeconds(1));

        Assert.Equal(1, snapshot.Listeners);
        Assert.Equal(0, snapshot.WorstLossFraction);
    }

    [Fact]
    public void Listeners_that_leave_or_stop_reporting_no_longer_count()
    {
        var aggregator = new ReceptionAggregator(s_stale);
        aggregator.Record("gone", new ReceptionReport(0.9, 0, 0, 0, 0, 25), TimeSpan.Zero);
        aggregator.Record("silent", new ReceptionReport(0.8, 0, 0, 0, 0, 25), TimeSpan.Zero);
        aggregator.Record("fine", new ReceptionReport(0.0, 0, 0, 0, 0, 25), TimeSpan.FromSeconds(8));
        aggregator.Remove("gone");

        var snapshot = aggregator.Snapshot(1.0, TimeSpan.FromSeconds(12));

        Assert.Equal(1, snapshot.Listeners);
        Assert.Equal(0, snapshot.WorstLossFraction);
        Assert.Same(AggregatedReception.None, new ReceptionAggregator(s_stale).Snapshot(0.9, TimeSpan.Zero));
    }

    [Fact]
    public void Out_of_range_and_non_finite_figures_are_clamped()
    {
        var aggregator = new ReceptionAggregator(s_stale);
        aggregator.Record("odd", new ReceptionReport(double.NaN, double.PositiveInfinity, 7, -3, 2, 10), TimeSpan.Zero);

        var snapshot = aggregator.Snapshot(1.0, TimeSpan.Zero);

        Assert.Equal(0, snapshot.LossFraction);
        Assert.Equal(0, snapshot.MeanLossBurstMilliseconds);
        Assert.Equal(1, snapshot.LateFraction);
        Assert.Equal(0, snapshot.JitterMilliseconds);
        Assert.Equal(1, snapshot.ConcealedFraction);
    }

    [Fact]
    public void The_aggregate_becomes_the_speakers_link_report()
    {
        var aggregator = new ReceptionAggregator(s_stale);
        aggregator.Record("a", new ReceptionReport(0.2, 120, 0.05, 30, 0.1, 25), TimeSpan.Zero);

        var report = aggregator.Snapshot(0.9, TimeSpan.Zero).ToLinkReport(roundTripMilliseconds: 320, sendBacklogMilliseconds: 0);
        var decision = new LinkAdapter().Update(report, TimeSpan.Zero);

        Assert.Equal(0.2, report.LossFraction, 1e-9);
        Assert.Equal(320, report.RoundTripMilliseconds);
        Assert.Equal("heavy-red", decision.Profile.Name);
    }
}
