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
    public void A_draining_queue_is_bounded_to_twice_what_was_sent()
    {
        var estimator = new UplinkCapacityEstimator();
        estimator.Update(40, 1_000, 900);

        Assert.Equal(80, estimator.Update(80, 2_000, 120)!.Value, 1e-9);
    }

    [Fact]
    public void Wire_kilobits_charge_every_message_its_framing_and_segment_headers()
    {
        Assert.Equal(114, WireOverhead.BytesPerMessage);
        Assert.Equal((1_000 + (10 * 114)) * 8 / 1000.0, UplinkCapacityEstimator.WireKilobits(1_000, 10), 1e-9);
    }
}
