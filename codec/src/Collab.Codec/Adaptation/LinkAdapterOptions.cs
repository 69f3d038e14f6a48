namespace Collab.Codec.Adaptation;

/// <summary>Tuning of the link adapter's hysteresis.</summary>
public sealed class LinkAdapterOptions
{
    /// <summary>How long a better rung must stay affordable before the adapter climbs one step.</summary>
    public TimeSpan UpgradeHold { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The longest the upgrade hold grows to after repeated failed upgrades.</summary>
    public TimeSpan MaxUpgradeHold { get; init; } = TimeSpan.FromSeconds(64);

    /// <summary>A downgrade this soon after an upgrade counts as a failed upgrade and doubles the hold.</summary>
    public TimeSpan FlapWindow { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Weight of a report with more loss than the estimate (fast attack: downgrade fast).</summary>
    public double LossAttack { get; init; } = 0.5;

    /// <summary>Weight of a report with less loss than the estimate (slow release: upgrade slowly).</summary>
    public double LossRelease { get; init; } = 0.2;

    /// <summary>A report based on fewer packets than this moves the estimates proportionally less.</summary>
    public int FullConfidencePackets { get; init; } = 25;

    /// <summary>Share of measured goodput voice may use, leaving room for chat, polls and retransmissions.</summary>
    public double BandwidthHeadroom { get; init; } = 0.7;

    /// <summary>Send backlog (uplink delay) above which, once it persists, the link is congested and the rate must drop.</summary>
    public double CongestionBacklogMilliseconds { get; init; } = 200;

    /// <summary>
    /// Consecutive reports over <see cref="CongestionBacklogMilliseconds"/> that make congestion. One is not enough: on
    /// a lossy TCP link a retransmission stall holds the uplink back for 100–300 ms once, while a link that cannot
    /// carry the rate keeps its queue, report after report.
    /// </summary>
    public int CongestionReports { get; init; } = 2;

    /// <summary>
    /// How long a measured uplink capacity (<see cref="LinkReport.AvailableKilobitsPerSecond"/>) bounds the rungs after
    /// its last measurement; after that the adapter may try a dearer rung again (the link may have got better).
    /// </summary>
    public TimeSpan CapacityMemory { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Round trip at which frames of at least 40 ms are used (fewer messages, each stall hurts less).</summary>
    public double LongRoundTripMilliseconds { get; init; } = 400;

    /// <summary>Round trip at which only 60 ms frames are used.</summary>
    public double VeryLongRoundTripMilliseconds { get; init; } = 1_000;
}
