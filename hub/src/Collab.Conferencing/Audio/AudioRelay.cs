using System.Collections.Concurrent;
using Collab.Codec;
using Collab.Codec.Adaptation;
using Collab.Codec.Packets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Audio;

/// <summary>
/// This node's share of the voice relay. Speakers' batches are checked (framing, packet headers, floor, rate) and put
/// on the audio bus; every node serving the meeting hands each batch to its local listeners' bounded queues (never to
/// the speaker, never to text-only connections). Listeners' reception reports travel the same bus to the node of the
/// speaker, which aggregates them and sends the speaker link feedback with the round trip it measured. Audio lives
/// in a scope (<see cref="Session.ScopeId"/>): the main room or a discussion room, each its own bus channel, so a
/// listener hears only the room it is in.
/// </summary>
public sealed partial class AudioRelay : IAudioBusHandler, IMembershipObserver, IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, ListenerQueue> _listeners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ListenerQueue>> _byMeeting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SpeakerState> _speakers = new(StringComparer.Ordinal);
    private readonly IAudioBus _bus;
    private readonly IAudioSink _sink;
    private readonly ConnectionRegistry _registry;
    private readonly FloorService _floor;
    private readonly FloorCache _floorCache;
    private readonly AudioMetrics _metrics;
    private readonly AudioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AudioRelay> _logger;
    private readonly Lock _subscriptions = new();
    private readonly Dictionary<string, int> _receivingByMeeting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscriptionGate = new(1, 1);
    private readonly HashSet<string> _controlSubscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _audioSubscribed = new(StringComparer.Ordinal);

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
        _bus = bus;
        _sink = sink;
        _registry = registry;
        _floor = floor;
        _floorCache = floorCache;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        bus.Attach(this);
    }

    private TimeSpan Clock => TimeSpan.FromMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Batches waiting for one local connection (for tests and diagnostics).</summary>
    public int QueuedFor(string connectionId) => _listeners.TryGetValue(connectionId, out var listener) ? listener.Queued : 0;

    public async Task PublishAsync(string connectionId, byte[]? batch, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        var (packets, last) = Validate(batch);
        await _floor.EnsureMayPublishAsync(session, cancellationToken);
        var speaker = _speakers.GetOrAdd(session.ParticipantId, _ => new SpeakerState(session, _options, _time));
        speaker.Session = session;
        speaker.Touch(_time.GetTimestamp());
        speaker.RecordArrival(Clock.TotalMilliseconds, (last.Timestamp / (double)VoiceFormat.SamplesPerMillisecond) + last.DurationMilliseconds);
        if (!speaker.Budget.TryTake(batch!.Length, _time.GetTimestamp(), out _))
        {
            throw new ConferencingException(ConferencingError.RateLimited, $"Audio is limited to {_options.SpeakerBytesPerSecond * 8 / 1000} kbit/s per speaker; this batch was dropped.");
        }

        _metrics.PacketsIn(packets);
        await _bus.PublishAudioAsync(session.ScopeId, session.ParticipantId, batch, cancellationToken);
    }

    /// <summary>Audio on or off for this connection (text-only); a node none of whose members in the meeting receive audio stops hearing it.</summary>
    public async Task SetReceivingAsync(string connectionId, bool receive, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        lock (_subscriptions)
        {
            if (!_listeners.TryGetValue(session.ConnectionId, out var listener) || listener.Receiving == receive)
            {
                return;
            }

            listener.Receiving = receive;
            CountReceiving(session.ScopeId, receive ? 1 : -1);
        }

        _metrics.TextOnlyChanged(receive ? -1 : 1);
        await UpdateSubscriptionsAsync(session.ScopeId, cancellationToken);
    }

    public async Task ReportReceptionAsync(string connectionId, ReceptionReportRequest? request, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        if (request is null)
        {
            throw ConferencingException.Invalid("Give a reception report.");
        }

        var speakerId = Meetings.Inputs.Id(request.SpeakerId, "speakerId");
        await _bus.PublishReceptionAsync(session.ScopeId, speakerId, session.ParticipantId, request.ToReport(), cancellationToken);
    }

    public void AcknowledgeFeedback(string connectionId, long sentAtMs)
    {
        var session = _registry.Require(connectionId);
        if (_speakers.TryGetValue(session.ParticipantId, out var speaker))
        {
            speaker.RecordRoundTrip(_time.GetUtcNow().ToUnixTimeMilliseconds() - sentAtMs);
        }
    }

    /// <summary>Sends every local speaker its link feedback; a speaker silent for the stale time is forgotten.</summary>
    public async Task SendFeedbackAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var elapsed = Clock;
        foreach (var (participantId, speaker) in _speakers)
        {
            if (speaker.IdleFor(_time.GetTimestamp()) > TimeSpan.FromSeconds(_options.ReportStaleSeconds))
            {
                _speakers.TryRemove(participantId, out _);
                continue;
            }

            var reception = speaker.Reception.Snapshot(_options.FeedbackPercentile, elapsed);
            var feedback = new LinkFeedbackView(
                reception.Listeners,
                reception.LossFraction,
                reception.MeanLossBurstMilliseconds,
                reception.LateFraction,
                reception.JitterMilliseconds,
                reception.ConcealedFraction,
                reception.WorstLossFraction,
                speaker.RoundTripMilliseconds,
                now.ToUnixTimeMilliseconds(),
                speaker.TakeUplinkDelayMilliseconds(elapsed.TotalMilliseconds));
            try
            {
                await _sink.SendLinkFeedbackAsync(speaker.Session.ConnectionId, feedback, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                FeedbackFailed(_logger, participantId, exception);
            }
        }
    }

    public void OnAudio(string meetingId, string speakerId, byte[] batch)
    {
        if (!_byMeeting.TryGetValue(meetingId, out var listeners))
        {
            return;
        }

        foreach (var listener in listeners.Values)
        {
            if (listener.Receiving && listener.Session.ParticipantId != speakerId)
            {
                listener.Enqueue(speakerId, batch);
            }
        }
    }

    public void OnReception(string meetingId, string speakerId, string listenerId, ReceptionReport report)
    {
        if (_speakers.TryGetValue(speakerId, out var speaker) && speaker.Session.ScopeId == meetingId)
        {
            speaker.Reception.Record(listenerId, report, Clock);
        }
    }

    public void OnFloor(string meetingId, FloorView floor) => _floorCache.Set(meetingId, floor);

    public async Task JoinedAsync(Session session, CancellationToken cancellationToken = default)
    {
        var listener = new ListenerQueue(
            session,
            _options.ListenerQueueBatches,
            _sink,
            packets => _metrics.PacketsOut(packets),
            packets => _metrics.PacketsDropped(packets));
        if (_listeners.TryRemove(session.ConnectionId, out var previous))
        {
            await RemoveAsync(previous, cancellationToken);
        }

        lock (_subscriptions)
        {
            _listeners[session.ConnectionId] = listener;
            var meeting = _byMeeting.GetOrAdd(session.ScopeId, _ => new ConcurrentDictionary<string, ListenerQueue>(StringComparer.Ordinal));
            meeting[session.ConnectionId] = listener;
            CountReceiving(session.ScopeId, listener.Receiving ? 1 : 0);
        }

        await UpdateSubscriptionsAsync(session.ScopeId, cancellationToken);
    }

    /// <summary>
    /// The connection moved to another room: its listener leaves the old scope's audio for the new one's (keeping
    /// whether it receives audio), so nobody hears a room they are not in.
    /// </summary>
    public async Task MovedAsync(Session from, Session to, CancellationToken cancellationToken = default)
    {
        var receiving = !_listeners.TryGetValue(from.ConnectionId, out var current) || current.Receiving;
        await JoinedAsync(to, cancellationToken);
        if (!receiving)
        {
            await SetReceivingAsync(to.ConnectionId, receive: false, cancellationToken);
        }
    }

    public async Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default)
    {
        if (_listeners.TryRemove(session.ConnectionId, out var listener))
        {
            await RemoveAsync(listener, cancellationToken);
        }

        if (participantGone && _speakers.TryGetValue(session.ParticipantId, out var speaker) && speaker.Session.ConnectionId == session.ConnectionId)
        {
            _speakers.TryRemove(session.ParticipantId, out _);
        }
    }

    /// <summary>Stops every listener's pump without waiting for it (the host is going away).</summary>
    public void Dispose()
    {
        foreach (var listener in _listeners.Values)
        {
            listener.Stop();
        }

        _listeners.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values)
        {
            await listener.DisposeAsync();
        }

        _listeners.Clear();
    }

    private async Task RemoveAsync(ListenerQueue listener, CancellationToken cancellationToken)
    {
        if (!listener.Receiving)
        {
            _metrics.TextOnlyChanged(-1);
        }

        lock (_subscriptions)
        {
            if (_byMeeting.TryGetValue(listener.Session.ScopeId, out var meeting)
                && meeting.TryRemove(new KeyValuePair<string, ListenerQueue>(listener.Session.ConnectionId, listener)))
            {
                CountReceiving(listener.Session.ScopeId, listener.Receiving ? -1 : 0);
                if (meeting.IsEmpty)
                {
                    _byMeeting.TryRemove(listener.Session.ScopeId, out _);
                }
            }
        }

        await listener.DisposeAsync();
        await UpdateSubscriptionsAsync(listener.Session.ScopeId, cancellationToken);
    }

    /// <summary>
    /// Subscribes to what this node's members in the meeting need and no more: control (floor, reception reports)
    /// while it serves any member, audio while one of them receives audio. Reads the wanted state under one gate, so
    /// changes racing each other end in the state of the last.
    /// </summary>
    private async Task UpdateSubscriptionsAsync(string meetingId, CancellationToken cancellationToken)
    {
        await _subscriptionGate.WaitAsync(cancellationToken);
        try
        {
            bool wantControl, wantAudio;
            lock (_subscriptions)
            {
                wantControl = _byMeeting.TryGetValue(meetingId, out var members) && !members.IsEmpty;
                wantAudio = _receivingByMeeting.GetValueOrDefault(meetingId) > 0;
            }

            if (wantControl && !_controlSubscribed.Contains(meetingId))
            {
                await _bus.SubscribeAsync(meetingId, cancellationToken);
                _controlSubscribed.Add(meetingId);
            }

            if (wantAudio && !_audioSubscribed.Contains(meetingId))
            {
                await _bus.SubscribeAudioAsync(meetingId, cancellationToken);
                _audioSubscribed.Add(meetingId);
            }
            else if (!wantAudio && _audioSubscribed.Remove(meetingId))
            {
                await _bus.UnsubscribeAudioAsync(meetingId, cancellationToken);
            }

            if (!wantControl && _controlSubscribed.Remove(meetingId))
            {
                _floorCache.Forget(meetingId);
                await _bus.UnsubscribeAsync(meetingId, cancellationToken);
            }
        }
        finally
        {
            _subscriptionGate.Release();
        }
    }

    /// <summary>Adjusts the meeting's count of members receiving audio here (under <see cref="_subscriptions"/>).</summary>
    private void CountReceiving(string meetingId, int change)
    {
        var count = _receivingByMeeting.GetValueOrDefault(meetingId) + change;
        if (count > 0)
        {
            _receivingByMeeting[meetingId] = count;
        }
        else
        {
            _receivingByMeeting.Remove(meetingId);
        }
    }

    /// <summary>
    /// Checks the batch completely (framing, and every packet whole: header, redundant blocks, primary frame) before
    /// anything is relayed, without allocating per packet; returns the packet count and the last packet's header.
    /// </summary>
    private static (int Packets, AudioPacketHeader Last) Validate(byte[]? batch)
    {
        if (batch is null)
        {
            throw ConferencingException.Invalid("Malformed audio batch: none was given.");
        }

        return AudioBatch.TryValidatePackets(batch, out var packets, out var last, out var error)
            ? (packets, last)
            : throw ConferencingException.Invalid($"Malformed audio batch: {error}");
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Link feedback to speaker {ParticipantId} failed")]
    private static partial void FeedbackFailed(ILogger logger, string participantId, Exception exception);
}
