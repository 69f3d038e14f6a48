namespace Collab.Codec.Adaptation;

/// <summary>
/// One listener's reception of one speaker over the last report interval, as the listener's jitter buffer measured it.
/// </summary>
/// <param name="LossFraction">Packets lost before the listener, 0–1.</param>
/// <param name="MeanLossBurstMilliseconds">Mean length of a loss burst in media time.</param>
/// <param name="LateFraction">Packets that arrived too late to play, 0–1.</param>
/// <param name="JitterMilliseconds">Interarrival jitter (RFC 3550).</param>
/// <param name="ConcealedFraction">Frames played as concealment, 0–1.</param>
/// <param name="PacketCount">Packets the interval covered.</param>
public readonly record struct ReceptionReport(
    double LossFraction,
    double MeanLossBurstMilliseconds,
    double LateFraction,
    double JitterMilliseconds,
    double ConcealedFraction,
    int PacketCount);

/// <summary>What the listeners of one speaker experience, at a chosen percentile across listeners.</summary>
public sealed record AggregatedReception(
    int Listeners,
    double Percentile,
    double LossFraction,
    double MeanLossBurstMilliseconds,
    double LateFraction,
    double JitterMilliseconds,
    double ConcealedFraction,
    double WorstLossFraction,
    int PacketCount)
{
    public static AggregatedReception None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>A single listener's report as an aggregate (a one-to-one call, or a simulation).</summary>
    public static AggregatedReception Of(ReceptionReport report) => new(
        1, 1, report.LossFraction, report.MeanLossBurstMilliseconds, report.LateFraction, report.JitterMilliseconds, report.ConcealedFraction, report.LossFraction, report.PacketCount);

    /// <summary>The link report a speaker's adapter takes, with what only the sender and the hub know.</summary>
    public LinkReport ToLinkReport(double roundTripMilliseconds, double sendBacklogMilliseconds, double? availableKilobitsPerSecond = null) =>
        new(LossFraction, MeanLossBurstMilliseconds, LateFraction, JitterMilliseconds, roundTripMilliseconds, sendBacklogMilliseconds, availableKilobitsPerSecond, Listeners == 0 ? 0 : PacketCount);
}
