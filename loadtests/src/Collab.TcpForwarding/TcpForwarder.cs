using System.Net;
using System.Net.Sockets;

namespace Collab.TcpForwarding;

/// <summary>
/// Accepts TCP connections on a loopback (or given local) address and pairs each with a new connection to one
/// loopback target; what flows between the two is the caller's <c>forward</c> function (a plain copy, a stall, an
/// impaired link). It keeps the open pairs so <see cref="ResetAll"/> can reset them (RST, as a dropped link looks to
/// both ends), refuses new connections while <c>refuse</c> says so, and on dispose stops accepting, resets
/// everything and waits for its accept loop. It only ever connects to the one target it was given, which must be a
/// loopback address.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly Func<Socket, Socket, CancellationToken, Task> _forward;
    private readonly Func<bool> _refuse;
    private readonly Action<Socket, Socket> _configure;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Client, Socket Server)> _open = [];
    private readonly Task _acceptLoop;
    private int _resetCount;

    /// <param name="target">The server to forward to, on loopback.</param>
    /// <param name="forward">Moves bytes between the accepted client socket and the connected server socket until the link ends.</param>
    /// <param name="listenOn">Where clients connect (loopback by default).</param>
    /// <param name="refuse">Whether to reset a new client at once (an outage); never by default.</param>
    /// <param name="configure">Sets up the client and the not-yet-connected server socket (buffer sizes, Nagle).</param>
    public TcpForwarder(Uri target, Func<Socket, Socket, CancellationToken, Task> forward, IPAddress? listenOn = null, Func<bool>? refuse = null, Action<Socket, Socket>? configure = null)
    {
        var address = IPAddress.Parse(target.Host == "localhost" ? "127.0.0.1" : target.Host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The proxy only forwards to loopback addresses; {target.Host} is not one.", nameof(target));
        }

        _target = new IPEndPoint(address, target.Port);
        _forward = forward;
        _refuse = refuse ?? (() => false);
        _configure = configure ?? ((_, _) => { });
        _listener = new TcpListener(listenOn ?? IPAddress.Loopback, 0);
        _listener.Start();
        Address = new Uri($"http://{listenOn ?? IPAddress.Loopback}:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Times <see cref="ResetAll"/> ran.</summary>
    public int ResetCount => Volatile.Read(ref _resetCount);

    /// <summary>Resets every open connection (RST on both sides).</summary>
    public void ResetAll()
    {
        lock (_open)
        {
            foreach (var (client, server) in _open)
            {
                Abort(client);
                Abort(server);
            }

            _open.Clear();
            _resetCount++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ResetAll();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The loop ends with the listener; nothing more to wait for.
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

            if (_refuse())
            {
                Abort(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _configure(client, server);
            await server.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add((client, server));
            }

            await _forward(client, server, _stop.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The target refused, the link was reset, or the proxy stopped.
        }
        finally
        {
            lock (_open)
            {
                _open.RemoveAll(pair => pair.Client == client);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
