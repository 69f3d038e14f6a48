using System.Net;
using System.Net.Sockets;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// A TCP proxy on loopback that plays a <see cref="NetworkProfile"/> between virtual participants and a hub node:
/// latency and jitter, a bandwidth cap per direction, loss as retransmission stalls, scheduled outages (optionally
/// resetting every connection, as a client roaming between access points), and resets on demand. It only ever
/// connects to the one target it was given, which must be a loopback address.
/// </summary>
public sealed class ImpairmentProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly NetworkProfile _profile;
    private readonly ImpairmentClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Client, Socket Server)> _open = [];
    private readonly Task _acceptLoop;
    private readonly Task _outages;
    private readonly Random _random;
    private long _bytesDown;
    private long _bytesUp;

    /// <param name="target">The hub node, on loopback.</param>
    /// <param name="profile">The link to play.</param>
    /// <param name="seed">Seed of the link's randomness (jitter, loss), for reproducible runs.</param>
    /// <param name="listenOn">Where participants connect: loopback, or in kernel mode this run's bridge to their namespaces.</param>
    public ImpairmentProxy(Uri target, NetworkProfile profile, int seed = 1, IPAddress? listenOn = null)
    {
        _listener = new TcpListener(listenOn ?? IPAddress.Loopback, 0);
        var address = IPAddress.Parse(target.Host == "localhost" ? "127.0.0.1" : target.Host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The impairment proxy only forwards to loopback addresses; {target.Host} is not one.", nameof(target));
        }

        _target = new IPEndPoint(address, target.Port);
        _profile = profile;
        _clock = new ImpairmentClock(profile);
        _random = new Random(seed);
        _listener.Start();
        Address = new Uri($"http://{listenOn ?? IPAddress.Loopback}:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptAsync();
        _outages = WatchOutagesAsync();
    }

    public Uri Address { get; }

    public NetworkProfile Profile => _profile;

    public long BytesDown => Interlocked.Read(ref _bytesDown);

    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public int ResetCount { get; private set; }

    /// <summary>Resets every open connection (RST), as a dropped link looks to both ends.</summary>
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
            ResetCount++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ResetAll();
        await Task.WhenAll(_acceptLoop, _outages).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
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

            if (_profile.ResetOnOutage && _clock.InOutage)
            {
                Abort(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add((client, server));
            }

            Random upRandom, downRandom;
            lock (_random)
            {
                upRandom = new Random(_random.Next());
                downRandom = new Random(_random.Next());
            }

            var up = new LinkDirection(client, server, _profile.UpKilobitsPerSecond, _profile, _clock, upRandom);
            var down = new LinkDirection(server, client, _profile.DownKilobitsPerSecond, _profile, _clock, downRandom);
            var upTask = up.RunAsync(_stop.Token);
            var downTask = down.RunAsync(_stop.Token);
            await Task.WhenAny(upTask, downTask);
            await Task.WhenAll(upTask, downTask).ContinueWith(_ => { }, TaskScheduler.Default);
            Interlocked.Add(ref _bytesUp, up.BytesForwarded);
            Interlocked.Add(ref _bytesDown, down.BytesForwarded);
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

    private async Task WatchOutagesAsync()
    {
        if (!_profile.ResetOnOutage || _profile.OutageEverySeconds <= 0)
        {
            return;
        }

        var wasOut = false;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var isOut = _clock.InOutage;
                if (isOut && !wasOut)
                {
                    ResetAll();
                }

                wasOut = isOut;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
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
