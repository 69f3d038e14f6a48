using System.Diagnostics.Metrics;

namespace Collab.Conferencing.Audio;

/// <summary>Voice relay metrics (meter <c>Collab.Audio</c>); the load generator reports the same names.</summary>
public sealed class AudioMetrics
{
    public const string MeterName = "Collab.Audio";

    // The factory owns and disposes the meter; the field keeps the analyzer's ownership rule satisfied.
    private readonly Meter _meter;
    private readonly Counter<long> _packetsIn;
    private readonly Counter<long> _packetsOut;
    private readonly Counter<long> _packetsDropped;
    private readonly UpDownCounter<long> _textOnly;

    public AudioMetrics(IMeterFactory meterFactory, FloorCache floors)
    {
        _meter = meterFactory.Create(MeterName);
        var meter = _meter;
        _packetsIn = meter.CreateCounter<long>("collab.audio.packets.in", "{packet}", "Audio packets accepted from speakers");
        _packetsOut = meter.CreateCounter<long>("collab.audio.packets.out", "{packet}", "Audio packets delivered to listeners");
        _packetsDropped = meter.CreateCounter<long>("collab.audio.packets.dropped", "{packet}", "Audio packets dropped for listeners that could not keep up");
        _textOnly = meter.CreateUpDownCounter<long>("collab.audio.listeners.text_only", "{connection}", "Connections in text-only mode");
        meter.CreateObservableUpDownCounter("collab.audio.speakers", () => (long)floors.SpeakerCount, "{participant}", "Participants holding the floor in the meetings this node serves");
    }

    // No meeting id tag: every meeting would be a time series of its own in the metrics backend (unbounded
    // cardinality). Per-meeting figures belong in traces or logs. The packet counters run once per batch and listener
    // delivery, so they check Enabled first and cost a field read while no exporter listens.
    public void PacketsIn(int packets)
    {
        if (_packetsIn.Enabled)
        {
            _packetsIn.Add(packets);
        }
    }

    public void PacketsOut(int packets)
    {
        if (_packetsOut.Enabled)
        {
            _packetsOut.Add(packets);
        }
    }

    public void PacketsDropped(int packets)
    {
        if (_packetsDropped.Enabled)
        {
            _packetsDropped.Add(packets);
        }
    }

    public void TextOnlyChanged(int delta) => _textOnly.Add(delta);
}
