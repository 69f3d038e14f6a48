using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Collab.Conferencing.Voice;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Voice;

/// <summary>
/// The node's one UDP socket for voice: bound at start by <see cref="VoiceDatagramReceiver"/> (or left unbound with
/// the reason in <see cref="Unavailable"/>), read by that receiver, and written by anyone sealing a datagram to a
/// session (UDP sends from several threads at once are fine).
/// </summary>
internal sealed class VoiceDatagramSocket(IOptions<VoiceDatagramOptions> options, VoiceMetrics metrics, ILogger<VoiceDatagramSocket> logger) : IDisposable
{
    private Socket? _socket;

    /// <summary>Why this node takes no voice datagrams (said in <c>unavailable</c> refusals); null while the socket is bound.</summary>
    public string? Unavailable { get; private set; } = "the voice datagram endpoint has not started";

    /// <summary>The bound address (null while <see cref="Unavailable"/>).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The host clients send to (null: the one they reached the hub at).</summary>
    public string? PublicHost => string.IsNullOrWhiteSpace(options.Value.PublicHost) ? null : options.Value.PublicHost;

    public Socket? Socket => _socket;

    /// <summary>Binds the socket as configured; false (with <see cref="Unavailable"/> set) when off or the bind fails.</summary>
    public bool TryBind()
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            Unavailable = $"{VoiceDatagramOptions.SectionName}:Enabled is false";
            VoiceLog.Off(logger, Unavailable);
            return false;
        }

        var address = IPAddress.Parse(settings.BindAddress);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, settings.Port));
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            Unavailable = $"UDP {settings.BindAddress}:{settings.Port} could not be bound ({exception.SocketErrorCode})";
            VoiceLog.BindFailed(logger, Unavailable, exception);
            return false;
        }

        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Unavailable = null;
        return true;
    }

    /// <summary>Seals <paramref name="payload"/> as the session's next datagram and sends it to where the client was heard from last; false when it was not sent.</summary>
    public async ValueTask<bool> SendAsync(VoiceDatagramSession session, VoiceDatagramType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var socket = _socket;
        if (socket is null || session.Endpoint is not { } endpoint || payload.Length > VoiceDatagram.MaxPayloadBytes)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(VoiceDatagram.MaxBytes);
        try
        {
            var length = session.Seal(type, payload.Span, buffer);
            if (length == 0)
            {
                return false;
            }

            await socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, endpoint, cancellationToken);
            metrics.Out();
            return true;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            VoiceLog.SendFailed(logger, session.ConnectionId, exception);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one speaker's batch to a listener's session (speaker id, then the batch); false when it does not fit a datagram or was not sent.</summary>
    public async ValueTask<bool> SendAudioAsync(VoiceDatagramSession session, string speakerId, byte[] batch, CancellationToken cancellationToken = default)
    {
        var payload = ArrayPool<byte>.Shared.Rent(VoiceDatagram.MaxPayloadBytes);
        try
        {
            return VoiceDatagram.TryWriteListenerAudio(speakerId, batch, payload.AsSpan(0, VoiceDatagram.MaxPayloadBytes), out var written)
                && await SendAsync(session, VoiceDatagramType.Audio, payload.AsMemory(0, written), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    public void Dispose()
    {
        Unavailable ??= "the node is stopping";
        _socket?.Dispose();
    }
}
