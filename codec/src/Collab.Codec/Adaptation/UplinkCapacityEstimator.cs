namespace Collab.Codec.Adaptation;

/// <summary>
/// The speaker's side of the uplink's capacity, for <see cref="LinkReport.AvailableKilobitsPerSecond"/>. A link only
/// shows what it carries while the speaker overloads it: then audio queues on the way and the hub's uplink delay
/// grows, feedback after feedback. Over an interval in which the queue grew by Δd (at least
/// <see cref="QueuedMilliseconds"/> at its start, so it never emptied) the link carried what was sent minus what the
/// queue grew by, and a queue that grew by Δd at capacity C holds C·Δd, so C = sent / (interval + Δd). The delay must
/// have grown over the two intervals before too: a TCP retransmission stall raises it once and then drains (the link
/// was blocked, not busy, and reading its rate then would walk the estimate down). Outside such intervals it says
/// nothing (a link that is not saturated carries whatever is sent). Deterministic; one instance per speaker.
/// </summary>
public sealed class UplinkCapacityEstimator(double queuedMilliseconds = UplinkCapacityEstimator.DefaultQueuedMilliseconds)
{
    public const double DefaultQueuedMilliseconds = 100;
    private double? _lastDelay;
    private double? _delayBefore;
    private double _lastAt;
    private double _lastSentKilobits;

    public double QueuedMilliseconds => queuedMilliseconds;

    /// <summary>
    /// Takes one link feedback: the wire kilobits sent so far (a running total, headers included), the time it
    /// arrived and the hub's uplink delay in it; returns the capacity in kbit/s when the queue has grown over the last
    /// two intervals, else null.
    /// </summary>
    public double? Update(double sentWireKilobitsTotal, double nowMilliseconds, double uplinkDelayMilliseconds)
    {
        var earlier = _delayBefore;
        var previous = _lastDelay;
        var interval = nowMilliseconds - _lastAt;
        var sent = sentWireKilobitsTotal - _lastSentKilobits;
        _delayBefore = _lastDelay;
        _lastDelay = uplinkDelayMilliseconds;
        _lastAt = nowMilliseconds;
        _lastSentKilobits = sentWireKilobitsTotal;
        if (earlier is not { } first || previous is not { } before || !(first < before && before < uplinkDelayMilliseconds)
            || before < queuedMilliseconds || interval <= 0 || sent <= 0)
        {
            return null;
        }

        return sent / ((interval + (uplinkDelayMilliseconds - before)) / 1000);
    }

    /// <summary>Wire kilobits of <paramref name="messages"/> hub messages holding <paramref name="payloadBytes"/> bytes of batches.</summary>
    public static double WireKilobits(long payloadBytes, long messages) =>
        (payloadBytes + (messages * Profiles.WireOverhead.BytesPerMessage)) * 8 / 1000.0;
}
