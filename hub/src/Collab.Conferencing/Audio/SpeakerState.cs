using Collab.Codec.Adaptation;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>A speaker publishing through this node: its listeners' reports, its round trip and its byte budget.</summary>
internal sealed class SpeakerState(Session session, AudioOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly UplinkDelay _uplink = new();
    private double _roundTrip;
    private long _lastActive = time.GetTimestamp();
    private Session _session = session;

    /// <summary>The speaker's current connection; a new one restarts the uplink delay measurement.</summary>
    public Session Session
    {
        get => _session;
        set
        {
            lock (_gate)
            {
                if (value.ConnectionId != _session.ConnectionId)
                {
                    _uplink.Reset();
                }

                _session = value;
            }
        }
    }

    public ReceptionAggregator Reception { get; } = new(TimeSpan.FromSeconds(options.ReportStaleSeconds));

    /// <summary>A token bucket on the speaker's audio bytes (<see cref="AudioOptions.SpeakerBytesPerSecond"/>, four seconds of burst).</summary>
    public TokenBucket Budget { get; } = new(options.SpeakerBytesPerSecond, 4.0 * options.SpeakerBytesPerSecond, time.GetTimestamp(), time);

    /// <summary>Smoothed round trip (RFC 6298 weights), 0 until the first acknowledgement.</summary>
    public double RoundTripMilliseconds
    {
        get
        {
            lock (_gate)
            {
                return _roundTrip;
            }
        }
    }

    public void RecordRoundTrip(long sampleMilliseconds)
    {
        if (sampleMilliseconds is < 0 or > 60_000)
        {
            return;
        }

        lock (_gate)
        {
            _roundTrip = _roundTrip == 0 ? sampleMilliseconds : (0.875 * _roundTrip) + (0.125 * sampleMilliseconds);
        }
    }

    /// <summary>A batch whose last frame was complete at <paramref name="mediaMilliseconds"/> (the speaker's media clock) arrived now.</summary>
    public void RecordArrival(double arrivalMilliseconds, double mediaMilliseconds)
    {
        lock (_gate)
        {
            _uplink.Add(arrivalMilliseconds, mediaMilliseconds);
        }
    }

    /// <summary>Median uplink queueing delay since the previous feedback (see <see cref="UplinkDelay"/>).</summary>
    public double TakeUplinkDelayMilliseconds(double nowMilliseconds)
    {
        lock (_gate)
        {
            return _uplink.TakeQueueingMilliseconds(nowMilliseconds);
        }
    }

    public TimeSpan IdleFor(long now) => time.GetElapsedTime(Interlocked.Read(ref _lastActive), now);

    public void Touch(long now) => Interlocked.Exchange(ref _lastActive, now);
}
