namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What a fan-out measured on one target. Deliveries count each message sent (acknowledged) in the measured window
/// once per receiver; server and client CPU cover the window and the drain of its deliveries, and so does
/// <see cref="OtherCpuSeconds"/>: what the rest of the machine used meanwhile, which disturbs the figures when large
/// (approximate: /proc/stat is sampled per tick, so it is off by about a tenth of the load's own CPU).
/// </summary>
internal sealed record FanOutResult(
    BaselineTarget Target,
    int Receivers,
    int Senders,
    double MessagesPerSecond,
    double ConnectSeconds,
    double MeasuredSeconds,
    long MessagesSent,
    long SendFailures,
    long DeliveriesExpected,
    long DeliveriesReceived,
    long Duplicates,
    double ServerCpuSeconds,
    double ClientCpuSeconds,
    double OtherCpuSeconds,
    double LatencyP50Milliseconds,
    double LatencyP99Milliseconds,
    long PeakResidentBytes,
    GcFigures? Gc = null)
{
    /// <summary>Bytes the server allocated per delivery over the window (null without a GC watch).</summary>
    public double? AllocatedBytesPerDelivery => Gc is { } gc && DeliveriesReceived > 0 ? gc.AllocatedBytes / (double)DeliveriesReceived : null;

    public double DeliveredFraction => DeliveriesExpected == 0 ? 0 : DeliveriesReceived / (double)DeliveriesExpected;

    public bool AllDelivered => DeliveriesExpected > 0 && DeliveriesReceived == DeliveriesExpected && Duplicates == 0;

    public double DeliveriesPerSecond => MeasuredSeconds == 0 ? 0 : DeliveriesReceived / MeasuredSeconds;

    public double ServerCpuMicrosecondsPerDelivery => DeliveriesReceived == 0 ? 0 : ServerCpuSeconds * 1e6 / DeliveriesReceived;

    /// <summary>This process's CPU per delivery: the clients share the machine, and their work adds to the latency.</summary>
    public double ClientCpuMicrosecondsPerDelivery => DeliveriesReceived == 0 ? 0 : ClientCpuSeconds * 1e6 / DeliveriesReceived;
}
