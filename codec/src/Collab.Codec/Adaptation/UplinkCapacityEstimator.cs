namespace Collab.Codec.Adaptation;

/// <summary>
/// The speaker's side of the uplink's capacity, for <see cref="LinkReport.AvailableKilobitsPerSecond"/>. A link only
/// shows what it carries while it is saturated: then audio queues on the way and the hub's uplink delay stays up. Over
/// an interval in which the queue never emptied (the uplink delay at least <see cref="QueuedMilliseconds"/> at both
/// ends), the link carried what was sent minus what the queue grew by, and a queue that grew by Δd at capacity C
/// holds C·Δd, so C = sent / (interval + Δd). Outside such intervals it says nothing (a link that is not saturated
/// carries whatever is sent). Deterministic; one instance per speaker.
/// </summary>
public sealed class UplinkCapacityEstimator(double queuedMilliseconds = UplinkCapacityEstimator.DefaultQueuedMilliseconds)
{
    public const double DefaultQueuedMilliseconds = 100;
    private double? _lastDelay;
    private double _lastAt;
    private double _lastSentKilobits;

    public double QueuedMilliseconds => queuedMilliseconds;

    /// <summary>
    /// Takes one link feedback: the wire kilobits sent so far (a running total, headers included), the time it
    /// arrived and the hub's uplink delay in it; returns the capacity in kbit/s when the queue persisted since the
    /// previous feedback, else null.
    /// </summary>
    public double? Update(double sentWireKilobitsTotal, double nowMilliseconds, double uplinkDelayMilliseconds)
    {
        var previous = _lastDelay;
        var interval = nowMilliseconds - _lastAt;
        var sent = sentWireKilobitsTotal - _lastSentKilobits;
        _lastDelay = uplinkDelayMilliseconds;
        _lastAt = nowMilliseconds;
        _lastSentKilobits = sentWireKilobitsTotal;
        if (previous is not { } before || before < queuedMilliseconds || uplinkDelayMilliseconds < queuedMilliseconds || interval <= 0 || sent <= 0)
        {
            return null;
        }

        // A queue draining faster than half the interval is a stall ending, not a rate: bound the estimate to twice what was sent.
        var carriedOver = Math.Max(interval + (uplinkDelayMilliseconds - before), interval / 2);
        return sent / (carriedOver / 1000);
    }

    /// <summary>Wire kilobits of <paramref name="messages"/> hub messages holding <paramref name="payloadBytes"/> bytes of batches.</summary>
    public static double WireKilobits(long payloadBytes, long messages) =>
        (payloadBytes + (messages * Profiles.WireOverhead.BytesPerMessage)) * 8 / 1000.0;
}
