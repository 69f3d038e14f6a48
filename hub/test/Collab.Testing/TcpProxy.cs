using System.Net;
using System.Net.Sockets;

namespace Collab.Testing;

/// <summary>
/// A loopback TCP forwarder in front of a hub node that can cut the link like venue Wi-Fi does: <see cref="Cut"/>
/// resets every open connection and refuses new ones until <see cref="Restore"/>.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _cut;
    private volatile TaskCompletionSource? _stall;

    public TcpProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Resets every open connection (RST, as a dropped link looks to both ends) and refuses new ones.</summary>
    public void Cut()
    {
        _cut = true;
        Reset();
    }

    /// <summary>Resets every open connection but keeps accepting new ones: a blip rather than an outage.</summary>
    public void Reset()
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    /// <summary>
    /// Stops reading what the hub sends (a listener whose link cannot keep up): the hub's writes back up once the
    /// small socket buffers fill, while the connection stays open. <see cref="Resume"/> reads again.
    /// </summary>
    public void Stall() => _stall ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => Interlocked.Exchange(ref _stall, null)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        // Small buffers on the hub-facing socket, so a stall backs the hub up after kilobytes rather than megabytes.
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            await Task.WhenAny(PumpAsync(client, server, stallable: false), PumpAsync(server, client, stallable: true));
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The link was cut or the proxy stopped.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool stallable)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while (true)
            {
                if (stallable && _stall is { } stall)
                {
                    await stall.Task.WaitAsync(_stop.Token);
                }

                if ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) <= 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the caller closes both.
        }
    }
}
