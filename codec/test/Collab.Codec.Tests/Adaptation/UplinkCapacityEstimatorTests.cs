using Collab.Codec.Adaptation;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Adaptation;

/// <summary>The uplink's capacity from what a speaker sent and the hub's uplink delay, one feedback a second.</summary>
public sealed class UplinkCapacityEstimatorTests
{
    [Fact]
    public void A_growing_queue_gives_the_rate_the_link_carried()
    {
        var estimator = new UplinkCapacityEstimator();

        // 60 kbit/s into 50 kbit/s: the queue grows by 200 ms a second.
        Assert.Null(estimator.Update(60, 1_000, 0));
        Assert.Null(estimator.Update(120, 2_000, 150));
        Assert.Equal(50, estimator.Update(180, 3_000, 350)!.Value, 1e-9);
        Assert.Equal(50, estimator.Update(240, 4_000, 550)!.Value, 1e-9);
    }

    [Fact]
    public void A_link_that_is_not_saturated_or_a_single_stall_says_nothing()
    {
        var estimator = new UplinkCapacityEstimator();

        Assert.Null(estimator.Update(30, 1_000, 20));
        Assert.Null(estimator.Update(60, 2_000, 280));
        Assert.Null(estimator.Update(90, 3_000, 10));
        Assert.Null(estimator.Update(120, 4_000, 30));
    }

    [Fact]
    public void A_queue_that_stops_growing_or_drains_says_nothing()
    {
        var estimator = new UplinkCapacityEstimator();
        estimator.Update(40, 1_000, 0);
        estimator.Update(80, 2_000, 300);

        Assert.Equal(40 / 1.3, estimator.Update(120, 3_000, 600)!.Value, 1e-9);
        Assert.Null(estimator.Update(160, 4_000, 600));
        Assert.Null(estimator.Update(200, 5_000, 300));
    }

    [Fact]
    public void Two_stalls_in_a_row_that_drain_between_them_say_nothing()
    {
        var estimator = new UplinkCapacityEstimator();

        Assert.Null(estimator.Update(30, 1_000, 10));
        Assert.Null(estimator.Update(60, 2_000, 260));
        Assert.Null(estimator.Update(90, 3_000, 120));
        Assert.Null(estimator.Update(120, 4_000, 250));
        Assert.Null(estimator.Update(150, 5_000, 40));
    }

    [Fact]
    public void Wire_kilobits_charge_every_message_its_framing_and_segment_headers()
    {
        Assert.Equal(114, WireOverhead.BytesPerMessage);
        Assert.Equal((1_000 + (10 * 114)) * 8 / 1000.0, UplinkCapacityEstimator.WireKilobits(1_000, 10), 1e-9);
    }
}
