using System.Net;
using System.Net.Sockets;

namespace Collab.Testing;

/// <summary>
/// A loopback UDP relay between one client and a UDP server (the hub's voice datagram endpoint), which a test can set
/// to drop everything in both directions (<see cref="Blocked"/>): a venue network that stops passing UDP mid-meeting.
/// </summary>
public sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _clientSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _serverSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loops;
    private EndPoint? _client;
    private long _forwarded;
    private long _dropped;

    public UdpRelay(IPEndPoint server)
    {
        _clientSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serverSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serverSide.Connect(server);
        EndPoint = (IPEndPoint)_clientSide.LocalEndPoint!;
        _loops = Task.WhenAll(Task.Run(FromClientAsync), Task.Run(FromServerAsync));
    }

    /// <summary>Where the client sends instead of the server.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>While true every datagram, either way, is dropped.</summary>
    public bool Blocked { get; set; }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _clientSide.Dispose();
        _serverSide.Dispose();
        await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task FromClientAsync()
    {
        var buffer = new byte[65_536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _clientSide.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                _client = received.RemoteEndPoint;
                await ForwardAsync(_serverSide, buffer.AsMemory(0, received.ReceivedBytes), to: null);
            }
            catch (SocketException)
            {
                // An ICMP "port unreachable" from an earlier send: go on.
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task FromServerAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var length = await _serverSide.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (_client is { } client)
                {
                    await ForwardAsync(_clientSide, buffer.AsMemory(0, length), client);
                }
            }
            catch (SocketException)
            {
                // As above.
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ForwardAsync(Socket socket, ReadOnlyMemory<byte> datagram, EndPoint? to)
    {
        if (Blocked)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (to is null)
        {
            await socket.SendAsync(datagram, SocketFlags.None, _stop.Token);
        }
        else
        {
            await socket.SendToAsync(datagram, SocketFlags.None, to, _stop.Token);
        }

        Interlocked.Increment(ref _forwarded);
    }
}
