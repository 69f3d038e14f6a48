using System.Net;
using System.Net.Sockets;
using Collab.Conferencing;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Voice;

namespace Collab.Hub.Voice;

/// <summary>
/// The voice datagram endpoint's receive loop. Each datagram is checked in order (size, header, session, tag, replay
/// window) and dropped silently, counted by reason, at the first that fails; an authenticated one marks its session
/// heard from its source endpoint. A ping is answered with a pong; audio goes through the same publish gate as
/// <c>PublishAudio</c> (<see cref="AudioRelay.PublishAsync"/>: validation, floor, byte budget, scope), and a refusal is
/// dropped and counted, as <c>send</c> would drop it.
/// </summary>
internal sealed class VoiceDatagramReceiver(
    VoiceDatagramSocket socket,
    VoiceDatagramSessions sessions,
    VoiceDatagramClock clock,
    AudioRelay audio,
    VoiceMetrics metrics,
    ILogger<VoiceDatagramReceiver> logger) : IHostedService, IDisposable
{
    // Any datagram that fits in a UDP packet is read whole, so an oversized one is counted as such, not truncated.
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(65_536);
    private readonly byte[] _payload = new byte[VoiceDatagram.MaxPayloadBytes];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!socket.TryBind())
        {
            return Task.CompletedTask;
        }

        var local = socket.LocalEndPoint!;
        VoiceLog.On(logger, local.ToString(), socket.PublicHost is { } host ? $"{host}:{local.Port}" : $"port {local.Port} of the host they reach the hub at");
        _loop = Task.Run(() => ReceiveLoopAsync(socket.Socket!, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        socket.Dispose();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ReceiveLoopAsync(Socket udp, CancellationToken cancellationToken)
    {
        EndPoint any = new IPEndPoint(udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await udp.ReceiveFromAsync(_buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                VoiceLog.ReceiveFailed(logger, exception);
                continue;
            }

            try
            {
                await HandleAsync(_buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                VoiceLog.HandleFailed(logger, exception);
            }
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint from, CancellationToken cancellationToken)
    {
        if (datagram.Length is < VoiceDatagram.Overhead or > VoiceDatagram.MaxBytes)
        {
            metrics.Dropped(VoiceDropReason.Size);
            return;
        }

        if (!VoiceDatagram.TryReadHeader(datagram.Span, out var header) || header.Type == VoiceDatagramType.Pong)
        {
            metrics.Dropped(VoiceDropReason.Auth);
            return;
        }

        if (sessions.Find(header.SessionId) is not { } session)
        {
            metrics.Dropped(VoiceDropReason.Unknown);
            return;
        }

        if (!session.TryOpen(datagram.Span, _payload, out _, out var written))
        {
            metrics.Dropped(VoiceDropReason.Auth);
            return;
        }

        if (!session.Replay.TryAccept(header.Counter))
        {
            metrics.Dropped(VoiceDropReason.Replay);
            return;
        }

        session.Heard(from, clock.Now, clock.Liveness);
        metrics.In();
        if (header.Type == VoiceDatagramType.Ping)
        {
            if (written != VoiceDatagram.PingPayloadBytes)
            {
                metrics.Dropped(VoiceDropReason.Size);
                return;
            }

            await socket.SendAsync(session, VoiceDatagramType.Pong, _payload.AsMemory(0, written), cancellationToken);
            return;
        }

        try
        {
            await audio.PublishAsync(session.ConnectionId, _payload.AsSpan(0, written).ToArray(), cancellationToken);
        }
        catch (ConferencingException)
        {
            metrics.Dropped(VoiceDropReason.Refused);
        }
    }
}
