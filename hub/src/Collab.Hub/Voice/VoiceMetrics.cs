using System.Diagnostics.Metrics;
using Collab.Conferencing.Voice;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Voice;

/// <summary>Why the endpoint dropped a datagram (the <c>reason</c> tag of <c>collab.voice.datagrams.dropped</c>).</summary>
internal enum VoiceDropReason
{
    /// <summary>No session has that id on this node (never opened, replaced, or its connection left).</summary>
    Unknown,

    /// <summary>The tag did not check out, or the version or type is not one a client sends.</summary>
    Auth,

    /// <summary>A counter already seen, or older than the 64-wide replay window.</summary>
    Replay,

    /// <summary>Shorter than header and tag, over 1200 bytes, or a ping that is not 8 bytes.</summary>
    Size,

    /// <summary>Audio the publish gate refused (no floor, muted, malformed batch, over the byte budget, not joined).</summary>
    Refused,
}

/// <summary>Voice datagram metrics (meter <c>Collab.Voice</c>); the load generator reports the same names.</summary>
internal sealed class VoiceMetrics
{
    public const string MeterName = "Collab.Voice";

    private static readonly KeyValuePair<string, object?>[] s_reasons =
    [
        new("reason", "unknown"),
        new("reason", "auth"),
        new("reason", "replay"),
        new("reason", "size"),
        new("reason", "refused"),
    ];

    private static readonly KeyValuePair<string, object?> s_unreliable = new("path", VoicePaths.Unreliable);
    private static readonly KeyValuePair<string, object?> s_signalR = new("path", VoicePaths.SignalR);

    // The factory owns and disposes the meter; the field keeps the analyzer's ownership rule satisfied.
    private readonly Meter _meter;
    private readonly Counter<long> _in;
    private readonly Counter<long> _out;
    private readonly Counter<long> _dropped;

    public VoiceMetrics(IMeterFactory meterFactory, VoiceDatagramSessions sessions, VoiceDatagramClock clock)
    {
        _meter = meterFactory.Create(MeterName);
        _in = _meter.CreateCounter<long>("collab.voice.datagrams.in", "{datagram}", "Authenticated voice datagrams received from clients");
        _out = _meter.CreateCounter<long>("collab.voice.datagrams.out", "{datagram}", "Voice datagrams sent to clients (audio and pongs)");
        _dropped = _meter.CreateCounter<long>("collab.voice.datagrams.dropped", "{datagram}", "Voice datagrams received and dropped, by reason");
        _meter.CreateObservableUpDownCounter("collab.voice.sessions", () =>
        {
            var (unreliable, signalR) = sessions.CountByPath(clock.Now, clock.Liveness, clock.Overlap);
            return new[] { new Measurement<long>(unreliable, s_unreliable), new Measurement<long>(signalR, s_signalR) };
        }, "{session}", "Voice datagram sessions on this node by the path audio to them takes (signalr: not heard from lately)");
    }

    // Once per datagram: check Enabled first, so they cost a field read while no exporter listens.
    public void In()
    {
        if (_in.Enabled)
        {
            _in.Add(1);
        }
    }

    public void Out()
    {
        if (_out.Enabled)
        {
            _out.Add(1);
        }
    }

    public void Dropped(VoiceDropReason reason)
    {
        if (_dropped.Enabled)
        {
            _dropped.Add(1, s_reasons[(int)reason]);
        }
    }
}

/// <summary>The endpoint's clock and its liveness and overlap in <see cref="TimeProvider"/> timestamp units.</summary>
internal sealed class VoiceDatagramClock(TimeProvider time, IOptions<VoiceDatagramOptions> options)
{
    public long Now => time.GetTimestamp();

    public long Liveness { get; } = options.Value.LivenessMilliseconds * time.TimestampFrequency / 1_000;

    public long Overlap { get; } = options.Value.OverlapMilliseconds * time.TimestampFrequency / 1_000;

    public VoiceRoute Route(VoiceDatagramSession session) => session.Route(Now, Liveness, Overlap);
}
