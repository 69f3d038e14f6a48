namespace Collab.Codec.Jitter;

/// <summary>Tuning of the adaptive jitter buffer. Defaults suit speech over SignalR (TCP) on poor links.</summary>
public sealed class JitterBufferOptions
{
    /// <summary>Lowest target delay, even on a perfect link.</summary>
    public int MinDelayMilliseconds { get; init; } = 40;

    /// <summary>Highest target delay, whatever the measured jitter: beyond it conversation breaks down.</summary>
    public int MaxDelayMilliseconds { get; init; } = 1_000;

    /// <summary>Arrival-delay percentile the target follows (TCP stalls make the tail, not the mean, matter).</summary>
    public double DelayPercentile { get; init; } = 0.95;

    /// <summary>Arrivals the percentile is taken over.</summary>
    public int DelayWindowPackets { get; init; } = 150;

    /// <summary>Backlog beyond the target at which quiet frames are skipped to catch up.</summary>
    public int QuietCatchUpExcessMilliseconds { get; init; } = 60;

    /// <summary>Backlog beyond the target at which any frame is skipped: latency never grows past target + this.</summary>
    public int HardCatchUpExcessMilliseconds { get; init; } = 400;

    /// <summary>How long an underrun is concealed before it is played as silence.</summary>
    public int MaxUnderrunConcealMilliseconds { get; init; } = 100;

    /// <summary>Packets held at most; the oldest go first beyond it.</summary>
    public int CapacityPackets { get; init; } = 128;
}
