using Collab.Codec.Adaptation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>
/// This node's share of the voice relay, one class per job behind one face: the <see cref="AudioPublishGate"/> checks a
/// speaker's batches (framing, packet headers, floor, rate) and puts them on the audio bus; the
/// <see cref="ListenerFanOut"/> hands each batch the bus delivers to the local listeners' bounded queues (never to the
/// speaker, never to text-only connections) and keeps the node's bus subscriptions to what its members need; the
/// <see cref="SpeakerFeedback"/> aggregates listeners' reception reports, which travel the same bus to the speaker's
/// node, and sends each speaker its link feedback with the round trip it measured. Audio lives in a scope
/// (<see cref="Session.ScopeId"/>): the main room or a discussion room, each its own bus channel, so a listener hears
/// only the room it is in.
/// </summary>
public sealed class AudioRelay : IAudioBusHandler, IMembershipObserver, IAsyncDisposable, IDisposable
{
    private readonly AudioPublishGate _gate;
    private readonly ListenerFanOut _fanOut;
    private readonly SpeakerFeedback _feedback;
    private readonly FloorCache _floorCache;

    public AudioRelay(
        IAudioBus bus,
        IAudioSink sink,
        ConnectionRegistry registry,
        FloorService floor,
        FloorCache floorCache,
        AudioMetrics metrics,
        IOptions<AudioOptions> options,
        TimeProvider time,
        ILogger<AudioRelay> logger)
    {
        _floorCache = floorCache;
        _feedback = new SpeakerFeedback(bus, sink, registry, options.Value, time, logger);
        _gate = new AudioPublishGate(bus, registry, floor, _feedback, metrics, options.Value, time);
        _fanOut = new ListenerFanOut(bus, sink, registry, floorCache, metrics, options.Value);
        bus.Attach(this);
    }

    /// <summary>Batches waiting for one local connection (for tests and diagnostics).</summary>
    public int QueuedFor(string connectionId) => _fanOut.QueuedFor(connectionId);

    public Task PublishAsync(string connectionId, byte[]? batch, CancellationToken cancellationToken = default) =>
        _gate.PublishAsync(connectionId, batch, cancellationToken);

    /// <summary>Audio on or off for this connection (text-only); a node none of whose members in the meeting receive audio stops hearing it.</summary>
    public Task SetReceivingAsync(string connectionId, bool receive, CancellationToken cancellationToken = default) =>
        _fanOut.SetReceivingAsync(connectionId, receive, cancellationToken);

    public Task ReportReceptionAsync(string connectionId, ReceptionReportRequest? request, CancellationToken cancellationToken = default) =>
        _feedback.ReportReceptionAsync(connectionId, request, cancellationToken);

    public void AcknowledgeFeedback(string connectionId, long sentAtMs) => _feedback.Acknowledge(connectionId, sentAtMs);

    /// <summary>Sends every local speaker its link feedback; a speaker silent for the stale time is forgotten.</summary>
    public Task SendFeedbackAsync(CancellationToken cancellationToken = default) => _feedback.SendAsync(cancellationToken);

    public void OnAudio(string meetingId, string speakerId, byte[] batch) => _fanOut.Deliver(meetingId, speakerId, batch);

    public void OnReception(string meetingId, string speakerId, string listenerId, ReceptionReport report) =>
        _feedback.Record(meetingId, speakerId, listenerId, report);

    public void OnFloor(string meetingId, FloorView floor) => _floorCache.Set(meetingId, floor);

    public Task JoinedAsync(Session session, CancellationToken cancellationToken = default) => _fanOut.AddAsync(session, cancellationToken);

    /// <summary>
    /// The connection moved to another room: its listener leaves the old scope's audio for the new one's (keeping
    /// whether it receives audio), so nobody hears a room they are not in.
    /// </summary>
    public Task MovedAsync(Session from, Session to, CancellationToken cancellationToken = default) => _fanOut.MoveAsync(from, to, cancellationToken);

    public async Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default)
    {
        await _fanOut.RemoveAsync(session, cancellationToken);
        if (participantGone)
        {
            _feedback.Forget(session);
        }
    }

    /// <summary>Stops every listener's pump without waiting for it (the host is going away).</summary>
    public void Dispose() => _fanOut.Dispose();

    public ValueTask DisposeAsync() => _fanOut.DisposeAsync();
}
