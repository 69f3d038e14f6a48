namespace Collab.Codec.Jitter;

/// <summary>
/// Tracks how late packets arrive relative to their media time: the target delay is a high percentile of the
/// relative transit delay over a sliding window (TCP stalls make a long tail), and the RFC 3550 interarrival jitter.
/// Fixed arrays; no allocation per packet.
/// </summary>
internal sealed class ArrivalDelayTracker
{
    private readonly double[] _window;
    private readonly double[] _scratch;
    private readonly double _percentile;
    private int _count;
    private int _next;
    private double? _previousTransit;

    public ArrivalDelayTracker(int windowPackets, double percentile)
    {
        _window = new double[windowPackets];
        _scratch = new double[windowPackets];
        _percentile = percentile;
    }

    public double JitterMilliseconds { get; private set; }

    /// <summary>Records one arrival: <paramref name="arrivalMilliseconds"/> on the receiver's clock, media time in ms.</summary>
    public void Record(double arrivalMilliseconds, double mediaMilliseconds)
    {
        var transit = arrivalMilliseconds - mediaMilliseconds;
        if (_previousTransit is { } previous)
        {
            JitterMilliseconds += (Math.Abs(transit - previous) - JitterMilliseconds) / 16;
        }

        _previousTransit = transit;
        _window[_next] = transit;
        _next = (_next + 1) % _window.Length;
        _count = Math.Min(_count + 1, _window.Length);
    }

    /// <summary>The chosen percentile of transit delay above the window's fastest packet, in ms.</summary>
    public double DelaySpreadMilliseconds()
    {
        if (_count < 2)
        {
            return 0;
        }

        var values = _scratch.AsSpan(0, _count);
        _window.AsSpan(0, _count).CopyTo(values);
        values.Sort();
        var index = (int)Math.Ceiling(_percentile * (_count - 1));
        return values[index] - values[0];
    }
}
