using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests.Voice;

public sealed class UplinkDelayTests
{
    [Fact]
    public void A_link_that_keeps_up_shows_no_queueing_whatever_its_fixed_delay()
    {
        var delay = new UplinkDelay();
        for (var i = 0; i < 50; i++)
        {
            delay.Add(arrivalMilliseconds: 100_000 + (i * 40) + 350, mediaMilliseconds: i * 40);
        }

        Assert.Equal(0, delay.TakeQueueingMilliseconds(102_500));
    }

    [Fact]
    public void Audio_arriving_later_and_later_than_it_was_spoken_is_reported_as_queueing()
    {
        var delay = new UplinkDelay();
        for (var i = 0; i < 25; i++)
        {
            delay.Add(1_000 + (i * 40), i * 40);
        }

        delay.TakeQueueingMilliseconds(2_000);

        // The link now carries 40 ms of audio every 60 ms: each batch waits 20 ms longer than the one before.
        for (var i = 25; i < 50; i++)
        {
            delay.Add(1_000 + (25 * 40) + ((i - 25) * 60), i * 40);
        }

        var queueing = delay.TakeQueueingMilliseconds(3_500);
        Assert.InRange(queueing, 240, 260);
    }

    [Fact]
    public void One_retransmission_stall_is_not_mistaken_for_congestion()
    {
        var delay = new UplinkDelay();
        for (var i = 0; i < 25; i++)
        {
            // Six batches in a row held back by a 250 ms stall, the rest on time.
            var stall = i is >= 10 and < 16 ? 250 - ((i - 10) * 40) : 0;
            delay.Add(1_000 + (i * 40) + stall, i * 40);
        }

        Assert.Equal(0, delay.TakeQueueingMilliseconds(2_000));
    }

    [Fact]
    public void A_restarted_media_clock_starts_a_new_baseline_instead_of_reading_as_delay()
    {
        var delay = new UplinkDelay();
        for (var i = 0; i < 25; i++)
        {
            delay.Add(1_000 + (i * 40), 5_000_000 + (i * 40));
        }

        delay.TakeQueueingMilliseconds(2_000);
        for (var i = 0; i < 25; i++)
        {
            delay.Add(3_000 + (i * 40), i * 40);
        }

        Assert.Equal(0, delay.TakeQueueingMilliseconds(4_000));
    }

    [Fact]
    public void A_lasting_change_of_path_becomes_the_new_baseline_once_the_window_has_passed()
    {
        var delay = new UplinkDelay();
        delay.Add(1_000, 0);
        for (var i = 1; i < 1_000; i++)
        {
            // 200 ms more transit from then on, for longer than the window.
            delay.Add(1_000 + 200 + (i * 40), i * 40);
        }

        delay.TakeQueueingMilliseconds(41_000);
        delay.Add(41_200 + 40, 40_040);
        Assert.Equal(0, delay.TakeQueueingMilliseconds(41_300));
    }

    [Fact]
    public void A_talk_spurt_whose_media_clock_jumped_ahead_of_a_short_pause_reads_as_no_queueing()
    {
        var delay = new UplinkDelay();
        for (var i = 0; i < 20; i++)
        {
            delay.Add(1_000 + (i * 40), i * 40);
        }

        // Released for 200 ms; the next spurt's media clock starts a whole second on. The feedback interval holds
        // batches of both spurts.
        delay.TakeQueueingMilliseconds(1_500);
        for (var i = 20; i < 25; i++)
        {
            delay.Add(1_000 + (i * 40), i * 40);
        }

        for (var i = 0; i < 5; i++)
        {
            delay.Add(2_200 + (i * 40), 2_000 + 1_000 + (i * 40));
        }

        Assert.Equal(0, delay.TakeQueueingMilliseconds(2_500));
        for (var i = 5; i < 30; i++)
        {
            delay.Add(2_200 + (i * 40), 3_000 + (i * 40));
        }

        Assert.Equal(0, delay.TakeQueueingMilliseconds(3_500));
    }

    [Fact]
    public void Nothing_received_since_the_last_feedback_reads_as_no_queueing()
    {
        var delay = new UplinkDelay();
        delay.Add(1_000, 0);
        delay.TakeQueueingMilliseconds(1_500);

        Assert.Equal(0, delay.TakeQueueingMilliseconds(2_500));
    }
}
