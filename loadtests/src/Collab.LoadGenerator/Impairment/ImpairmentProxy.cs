using System.Net;
using System.Net.Sockets;
using Collab.TcpForwarding;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// A TCP proxy on loopback that plays a <see cref="NetworkProfile"/> between virtual participants and a hub node:
/// latency and jitter, a bandwidth cap per direction, loss as retransmission stalls, scheduled outages (optionally
/// resetting every connection, as a client roaming between access points), and resets on demand. It only ever
/// connects to the one target it was given, which must be a loopback address. Accepting, pairing and resetting are
/// <see cref="TcpForwarder"/>'s (shared with the hub tests' TcpProxy); this class plays the link.
/// </summary>
public sealed class ImpairmentProxy : IAsyncDisposable
{
    private readonly TcpForwarder _forwarder;
    private readonly NetworkProfile _profile;
    private readonly ImpairmentClock _clock;
    private readonly CancellationTokenSource _stop = new();
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
        _profile = profile;
        _clock = new ImpairmentClock(profile);
        _random = new Random(seed);
        _forwarder = new TcpForwarder(
            target,
            ForwardAsync,
            listenOn,
            refuse: () => _profile.ResetOnOutage && _clock.InOutage,
            configure: (client, server) => client.NoDelay = server.NoDelay = true);
        _outages = WatchOutagesAsync();
    }

    public Uri Address => _forwarder.Address;

    public NetworkProfile Profile => _profile;

    public long BytesDown => Interlocked.Read(ref _bytesDown);

    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public int ResetCount => _forwarder.ResetCount;

    /// <summary>Resets every open connection (RST), as a dropped link looks to both ends.</summary>
    public void ResetAll() => _forwarder.ResetAll();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _forwarder.DisposeAsync();
        await _outages.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ForwardAsync(Socket client, Socket server, CancellationToken stop)
    {
        Random upRandom, downRandom;
        lock (_random)
        {
            upRandom = new Random(_random.Next());
            downRandom = new Random(_random.Next());
        }

        var up = new LinkDirection(client, server, _profile.UpKilobitsPerSecond, _profile, _clock, upRandom);
        var down = new LinkDirection(server, client, _profile.DownKilobitsPerSecond, _profile, _clock, downRandom);
        var upTask = up.RunAsync(stop);
        var downTask = down.RunAsync(stop);
        await Task.WhenAny(upTask, downTask);
        await Task.WhenAll(upTask, downTask).ContinueWith(_ => { }, TaskScheduler.Default);
        Interlocked.Add(ref _bytesUp, up.BytesForwarded);
        Interlocked.Add(ref _bytesDown, down.BytesForwarded);
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
}
