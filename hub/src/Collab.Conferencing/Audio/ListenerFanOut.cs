using System.Collections.Concurrent;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>
/// The local listeners of this node: one bounded <see cref="ListenerQueue"/> per connection, grouped by scope, each
/// batch the bus delivers handed to every listener of its scope but the speaker and text-only connections. Keeps the
/// node's bus subscriptions to what its members need: control while it serves any member of a scope, audio while one
/// of them receives audio.
/// </summary>
internal sealed class ListenerFanOut(
    IAudioBus bus,
    IAudioSink sink,
    ConnectionRegistry registry,
    FloorCache floorCache,
    AudioMetrics metrics,
    AudioOptions options) : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, ListenerQueue> _listeners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ListenerQueue>> _byMeeting = new(StringComparer.Ordinal);
    private readonly Lock _subscriptions = new();
    private readonly Dictionary<string, int> _receivingByMeeting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscriptionGate = new(1, 1);
    private readonly HashSet<string> _controlSubscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _audioSubscribed = new(StringComparer.Ordinal);

    public int QueuedFor(string connectionId) => _listeners.TryGetValue(connectionId, out var listener) ? listener.Queued : 0;

    public async Task SetReceivingAsync(string connectionId, bool receive, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        lock (_subscriptions)
        {
            if (!_listeners.TryGetValue(session.ConnectionId, out var listener) || listener.Receiving == receive)
            {
                return;
            }

            listener.Receiving = receive;
            CountReceiving(session.ScopeId, receive ? 1 : -1);
        }

        metrics.TextOnlyChanged(receive ? -1 : 1);
        await UpdateSubscriptionsAsync(session.ScopeId, cancellationToken);
    }

    public void Deliver(string meetingId, string speakerId, byte[] batch)
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

    public async Task AddAsync(Session session, CancellationToken cancellationToken = default)
    {
        var listener = new ListenerQueue(session, options.ListenerQueueBatches, sink, metrics);
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

    public async Task MoveAsync(Session from, Session to, CancellationToken cancellationToken = default)
    {
        var receiving = !_listeners.TryGetValue(from.ConnectionId, out var current) || current.Receiving;
        await AddAsync(to, cancellationToken);
        if (!receiving)
        {
            await SetReceivingAsync(to.ConnectionId, receive: false, cancellationToken);
        }
    }

    public async Task RemoveAsync(Session session, CancellationToken cancellationToken = default)
    {
        if (_listeners.TryRemove(session.ConnectionId, out var listener))
        {
            await RemoveAsync(listener, cancellationToken);
        }
    }

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
            metrics.TextOnlyChanged(-1);
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
                await bus.SubscribeAsync(meetingId, cancellationToken);
                _controlSubscribed.Add(meetingId);
            }

            if (wantAudio && !_audioSubscribed.Contains(meetingId))
            {
                await bus.SubscribeAudioAsync(meetingId, cancellationToken);
                _audioSubscribed.Add(meetingId);
            }
            else if (!wantAudio && _audioSubscribed.Remove(meetingId))
            {
                await bus.UnsubscribeAudioAsync(meetingId, cancellationToken);
            }

            if (!wantControl && _controlSubscribed.Remove(meetingId))
            {
                floorCache.Forget(meetingId);
                await bus.UnsubscribeAsync(meetingId, cancellationToken);
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
}
