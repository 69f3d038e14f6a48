using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Collab.Conferencing.Voice;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Conferencing.Client;

/// <summary>
/// A connection's voice over the unreliable path (hub/PROTOCOL.md, "Voice datagrams"), with SignalR as the fallback.
/// It opens a datagram session with <c>OpenVoiceChannel</c>, pings the hub's UDP endpoint every
/// <see cref="VoiceDatagramChannelOptions.PingInterval"/>, and publishes by datagram while the last pong is fresh, by
/// <c>PublishAudio</c> otherwise, and on both for <see cref="VoiceDatagramChannelOptions.Overlap"/> after a switch (and
/// while pongs are late, before they count as lost). <see cref="AudioReceived"/> raises what arrives on either path as one
/// stream (the jitter buffer drops duplicates by sequence). Open it after <c>Join</c>; after a SignalR reconnect it
/// opens a new session by itself once the connection has joined again (or call <see cref="ReopenAsync"/>).
/// </summary>
public sealed class VoiceDatagramChannel : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Uri _server;
    private readonly VoiceDatagramChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly IDisposable _signalRAudio;
    private readonly long _liveness;
    private readonly long _overlap;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private Session? _session;
    private string _path = VoicePaths.SignalR;
    private long _switchedAt;
    private long _lastPong;
    private long _sentByDatagram;
    private long _sentBySignalR;

    private VoiceDatagramChannel(HubConnection connection, Uri server, VoiceDatagramChannelOptions options)
    {
        _connection = connection;
        _server = server;
        _options = options;
        _time = options.Time;
        _liveness = (long)(options.Liveness.TotalSeconds * _time.TimestampFrequency);
        _overlap = (long)(options.Overlap.TotalSeconds * _time.TimestampFrequency);
        _signalRAudio = connection.OnAudioReceived((speakerId, batch) => AudioReceived?.Invoke(new VoiceAudio(speakerId, batch, VoicePaths.SignalR)));
        connection.Reconnected += OnReconnectedAsync;
    }

    /// <summary>Every batch heard, by either path.</summary>
    public event Action<VoiceAudio>? AudioReceived;

    /// <summary>Raised with the new <see cref="VoicePath"/> when it changes.</summary>
    public event Action<string>? VoicePathChanged;

    /// <summary><see cref="VoicePaths.Unreliable"/> while the hub answers this channel's pings, <see cref="VoicePaths.SignalR"/> otherwise.</summary>
    public string VoicePath
    {
        get
        {
            lock (_gate)
            {
                return _path;
            }
        }
    }

    /// <summary>Why the channel has no datagram session (the hub's <c>unavailable</c> reason, say); null while it has one.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Batches this channel sent by datagram and by SignalR (a batch sent on both counts in both).</summary>
    public (long Datagram, long SignalR) Published => (Interlocked.Read(ref _sentByDatagram), Interlocked.Read(ref _sentBySignalR));

    /// <summary>Opens the channel on a started, joined connection to the hub at <paramref name="server"/> (the URL the connection was built with).</summary>
    public static async Task<VoiceDatagramChannel> OpenAsync(HubConnection connection, Uri server, VoiceDatagramChannelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(server);
        var channel = new VoiceDatagramChannel(connection, server, options ?? new VoiceDatagramChannelOptions());
        try
        {
            await channel.ReopenAsync(cancellationToken);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a new datagram session (the old one, if any, is closed): after the connection joined again, say. A refusal
    /// other than <c>unavailable</c> is thrown; <c>unavailable</c> leaves the channel on SignalR with <see cref="Unavailable"/> set.
    /// </summary>
    public async Task ReopenAsync(CancellationToken cancellationToken = default)
    {
        await CloseSessionAsync();
        if (_options.Path == VoicePathChoice.SignalR)
        {
            Unavailable = "the SignalR path was chosen";
            return;
        }

        VoiceChannelView view;
        try
        {
            view = await _connection.OpenVoiceChannelAsync(new VoiceChannelRequest(), cancellationToken);
        }
        catch (HubException exception) when (exception.Refusal().Error == ConferencingError.Unavailable)
        {
            Unavailable = exception.Refusal().Reason;
            return;
        }

        var remote = _options.RemoteEndPoint ?? new IPEndPoint(await ResolveAsync(view.Host ?? _server.IdnHost, cancellationToken), view.Port ?? 0);
        if (_options.Route is { } route)
        {
            remote = route(remote);
        }

        var session = new Session(view, remote);
        lock (_gate)
        {
            _session = session;
            _lastPong = 0;
        }

        Unavailable = null;
        session.Start(ReceiveLoopAsync(session), PingLoopAsync(session));
    }

    /// <summary>
    /// Publishes one batch (as <c>PublishAudio</c> takes it) by the path that works now: by datagram while pongs are
    /// fresh, by SignalR otherwise, by both while switching. Refusals are not reported on either path (follow <c>FloorUpdated</c>).
    /// </summary>
    public async Task PublishAsync(byte[] batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (session, byDatagram, bySignalR) = Decide();
        var sent = byDatagram && session is not null && await session.SendAsync(VoiceDatagramType.Audio, batch, cancellationToken);
        if (sent)
        {
            Interlocked.Increment(ref _sentByDatagram);
        }

        if (bySignalR || (!sent && _options.Path != VoicePathChoice.Unreliable))
        {
            await _connection.PublishAudioAsync(batch, cancellationToken);
            Interlocked.Increment(ref _sentBySignalR);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Reconnected -= OnReconnectedAsync;
        _signalRAudio.Dispose();
        await _disposed.CancelAsync();
        await CloseSessionAsync();
        _disposed.Dispose();
    }

    private (Session? Session, bool ByDatagram, bool BySignalR) Decide()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var fresh = Evaluate(now, out var changed);
            var switching = _switchedAt != 0 && now - _switchedAt < _overlap;
            var late = fresh && now - _lastPong >= _liveness - _overlap;
            var result = _options.Path switch
            {
                VoicePathChoice.Unreliable => (_session, true, false),
                VoicePathChoice.SignalR => (null, false, true),
                _ => (_session, fresh || switching, !fresh || switching || late),
            };
            Raise(changed);
            return result;
        }
    }

    /// <summary>Whether pongs are fresh; switches <see cref="_path"/> when that changed (under <see cref="_gate"/>).</summary>
    private bool Evaluate(long now, out string? changed)
    {
        var fresh = _session is not null && _lastPong != 0 && now - _lastPong < _liveness;
        var path = fresh ? VoicePaths.Unreliable : VoicePaths.SignalR;
        changed = null;
        if (path != _path)
        {
            _path = path;
            _switchedAt = now;
            changed = path;
        }

        return fresh;
    }

    private void Raise(string? changed)
    {
        if (changed is not null)
        {
            // Outside the caller's work on the path, so a handler may read VoicePath or publish.
            ThreadPool.QueueUserWorkItem(path => VoicePathChanged?.Invoke(path), changed, preferLocal: false);
        }
    }

    private void Reevaluate()
    {
        string? changed;
        lock (_gate)
        {
            Evaluate(_time.GetTimestamp(), out changed);
        }

        Raise(changed);
    }

    private async Task PingLoopAsync(Session session)
    {
        var ping = new byte[VoiceDatagram.PingPayloadBytes];
        using var timer = new PeriodicTimer(_options.PingInterval, _time);
        try
        {
            do
            {
                BinaryPrimitives.WriteInt64BigEndian(ping, _time.GetUtcNow().ToUnixTimeMilliseconds());
                await session.SendAsync(VoiceDatagramType.Ping, ping, session.Stopping);
                Reevaluate();
            }
            while (await timer.WaitForNextTickAsync(session.Stopping));
        }
        catch (OperationCanceledException)
        {
            // The session closed.
        }
    }

    private async Task ReceiveLoopAsync(Session session)
    {
        var buffer = new byte[VoiceDatagram.MaxBytes + 1];
        var payload = new byte[VoiceDatagram.MaxPayloadBytes];
        while (!session.Stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await session.Socket.ReceiveAsync(buffer, SocketFlags.None, session.Stopping);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A connected UDP socket reports an ICMP "port unreachable" on its next receive: nothing to do but go on.
                continue;
            }

            if (!session.Opener.TryOpen(buffer.AsSpan(0, length), VoiceDatagramDirection.HubToClient, payload, out var header, out var written)
                || !session.Replay.TryAccept(header.Counter))
            {
                continue;
            }

            if (header.Type == VoiceDatagramType.Pong)
            {
                lock (_gate)
                {
                    if (_session == session)
                    {
                        _lastPong = _time.GetTimestamp();
                    }
                }

                Reevaluate();
            }
            else if (header.Type == VoiceDatagramType.Audio && VoiceDatagram.TryReadListenerAudio(payload.AsSpan(0, written), out var speakerId, out var batch))
            {
                AudioReceived?.Invoke(new VoiceAudio(speakerId, batch.ToArray(), VoicePaths.Unreliable));
            }
        }
    }

    private Task OnReconnectedAsync(string? connectionId)
    {
        _ = ReopenAfterReconnectAsync();
        return Task.CompletedTask;
    }

    /// <summary>The new connection has no session (and has not joined yet): try again, bounded, until it has joined.</summary>
    private async Task ReopenAfterReconnectAsync()
    {
        await CloseSessionAsync();
        for (var attempt = 0; attempt < _options.ReopenAttempts && !_disposed.IsCancellationRequested; attempt++)
        {
            try
            {
                await ReopenAsync(_disposed.Token);
                return;
            }
            catch (HubException exception) when (exception.Refusal().Error is ConferencingError.NotJoined or ConferencingError.RateLimited)
            {
                Unavailable = exception.Refusal().Reason;
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, _disposed.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task CloseSessionAsync()
    {
        Session? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
            _lastPong = 0;
        }

        if (session is not null)
        {
            await session.DisposeAsync();
            Reevaluate();
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>One datagram session: its socket (connected to the hub's endpoint), ciphers, counters and loops.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly object _sealGate = new();
        private readonly VoiceDatagramCipher _sealer;
        private readonly CancellationTokenSource _stopping = new();
        private Task _loops = Task.CompletedTask;
        private ulong _sent;
        private bool _disposed;

        public Session(VoiceChannelView view, IPEndPoint remote)
        {
            Opener = new VoiceDatagramCipher(view.SessionId, view.Key ?? throw new InvalidOperationException("The hub sent no voice key."));
            _sealer = new VoiceDatagramCipher(view.SessionId, view.Key);
            Socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            Socket.Connect(remote);
        }

        public Socket Socket { get; }

        /// <summary>The receive loop's alone.</summary>
        public VoiceDatagramCipher Opener { get; }

        /// <summary>The receive loop's alone.</summary>
        public VoiceReplayWindow Replay { get; } = new();

        public CancellationToken Stopping => _stopping.Token;

        public void Start(Task receive, Task ping) => _loops = Task.WhenAll(receive, ping);

        /// <summary>Seals and sends the next datagram; false when it could not be sent (too big, the socket refused, closed).</summary>
        public async ValueTask<bool> SendAsync(VoiceDatagramType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            if (payload.Length > VoiceDatagram.MaxPayloadBytes)
            {
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(VoiceDatagram.MaxBytes);
            try
            {
                int length;
                lock (_sealGate)
                {
                    if (_disposed)
                    {
                        return false;
                    }

                    length = _sealer.Seal(++_sent, VoiceDatagramDirection.ClientToHub, type, payload.Span, buffer);
                }

                await Socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, cancellationToken);
                return true;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            Socket.Dispose();
            await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            lock (_sealGate)
            {
                _disposed = true;
                _sealer.Dispose();
            }

            Opener.Dispose();
            _stopping.Dispose();
        }
    }
}
