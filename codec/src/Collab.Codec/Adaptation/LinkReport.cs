namespace Collab.Codec.Adaptation;

/// <summary>
/// What a speaker knows about its link at one moment: the listeners' aggregated reception (the hub returns e.g. the
/// 90th percentile listener), the server-measured round trip, and the sender's own send queue.
/// </summary>
/// <param name="LossFraction">Packets lost in transit, 0–1.</param>
/// <param name="MeanLossBurstMilliseconds">Mean length of a run of lost packets, in media time (0 without loss).</param>
/// <param name="LateFraction">Packets that arrived too late to play, 0–1 (on TCP, stalls show up here).</param>
/// <param name="JitterMilliseconds">Interarrival jitter (RFC 3550).</param>
/// <param name="RoundTripMilliseconds">Round-trip time to the hub.</param>
/// <param name="SendBacklogMilliseconds">Audio waiting on its way to the hub (the sender's queue, the hub's uplink delay): when it persists, the sign of a link that cannot carry the rate.</param>
/// <param name="AvailableKilobitsPerSecond">The uplink's capacity on the wire (headers included) when measured, e.g. by <see cref="UplinkCapacityEstimator"/> while the link was saturated; the adapter remembers it for <see cref="LinkAdapterOptions.CapacityMemory"/>.</param>
/// <param name="PacketCount">Packets the loss figures are based on, when known: few packets make a noisy estimate, which the adapter weighs less.</param>
public readonly record struct LinkReport(
    double LossFraction,
    double MeanLossBurstMilliseconds,
    double LateFraction,
    double JitterMilliseconds,
    double RoundTripMilliseconds,
    double SendBacklogMilliseconds,
    double? AvailableKilobitsPerSecond = null,
    int? PacketCount = null);
