namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// What a fan-out measured on one target. Deliveries count each message sent (acknowledged) in the measured window
/// once per receiver; server CPU covers the window and the drain of its deliveries.
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
    double LatencyP50Milliseconds,
    double LatencyP99Milliseconds,
    long PeakResidentBytes)
{
    public double DeliveredFraction => DeliveriesExpected == 0 ? 0 : DeliveriesReceived / (double)DeliveriesExpected;

    public bool AllDelivered => DeliveriesExpected > 0 && DeliveriesReceived == DeliveriesExpected && Duplicates == 0;

    public double DeliveriesPerSecond => MeasuredSeconds == 0 ? 0 : DeliveriesReceived / MeasuredSeconds;

    public double ServerCpuMicrosecondsPerDelivery => DeliveriesReceived == 0 ? 0 : ServerCpuSeconds * 1e6 / DeliveriesReceived;
}
