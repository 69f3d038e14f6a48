using System.Globalization;

namespace Collab.LoadGenerator.Relay;

internal sealed record RelayBenchResult(
    int Nodes,
    int Speakers,
    int Listeners,
    int PacketsPerSecond,
    double MeasuredSeconds,
    long PacketsPublished,
    long DeliveriesExpected,
    long DeliveriesReceived,
    double ServerCpuSeconds,
    double LatencyP50Milliseconds,
    double LatencyP99Milliseconds,
    long MaxHubResidentBytes)
{
    public long DeliveriesMissing => Math.Max(0, DeliveriesExpected - DeliveriesReceived);

    public double MissingFraction => DeliveriesExpected == 0 ? 0 : DeliveriesMissing / (double)DeliveriesExpected;

    public double DeliveriesPerSecond => DeliveriesReceived / MeasuredSeconds;

    public double ServerCpuMicrosecondsPerDelivery => DeliveriesReceived == 0 ? 0 : ServerCpuSeconds * 1e6 / DeliveriesReceived;

    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"relay-bench: {Nodes} node(s), {Speakers}×{PacketsPerSecond} pps → {Listeners} listeners: {DeliveriesPerSecond:0} deliveries/s, {ServerCpuMicrosecondsPerDelivery:0.0} µs server CPU per delivery, p50 {LatencyP50Milliseconds:0.0} ms, p99 {LatencyP99Milliseconds:0.0} ms, missing {MissingFraction:P3}");
}
