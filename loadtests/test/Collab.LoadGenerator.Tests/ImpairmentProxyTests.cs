using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collab.LoadGenerator.Impairment;

namespace Collab.LoadGenerator.Tests;

/// <summary>
/// The proxy's impairments measured on loopback. Tolerances are wide (a shared 2-core machine), but each test fails
/// when the impairment is missing: the tolerated ranges never include an unimpaired link's figure.
/// </summary>
[CollectionDefinition(nameof(ImpairmentProxyTests), DisableParallelization = true)]
[Collection(nameof(ImpairmentProxyTests))]
public sealed class ImpairmentProxyTests
{
    private static readonly NetworkProfile s_clean = NetworkProfile.Good with { Name = "test" };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Latency_is_added_in_each_direction()
    {
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, s_clean with { OneWayLatencyMilliseconds = 100 });
        using var socket = await ConnectAsync(proxy.Address);

        var roundTrips = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            roundTrips.Add(await PingAsync(socket));
        }

        roundTrips.Sort();
        Assert.InRange(roundTrips[2], 195, 320);
    }

    [Fact]
    public async Task Jitter_varies_the_delay_but_never_reorders_the_stream()
    {
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, s_clean with { OneWayLatencyMilliseconds = 20, JitterMilliseconds = 60 }, seed: 7);
        using var socket = await ConnectAsync(proxy.Address);

        var sent = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        foreach (var value in sent)
        {
            await socket.SendAsync(new[] { value }, SocketFlags.None, Cancel);
        }

        var received = await ReadExactlyAsync(socket, sent.Length);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task The_bandwidth_cap_paces_a_download()
    {
        var payload = new byte[100_000];
        await using var source = LoopbackServer.Sending(payload);
        await using var proxy = new ImpairmentProxy(source.Address, s_clean with { DownKilobitsPerSecond = 800 });
        using var socket = await ConnectAsync(proxy.Address);

        var clock = Stopwatch.StartNew();
        var received = await ReadToEndAsync(socket);

        Assert.Equal(payload.Length, received);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.85, 1.8);
    }

    [Fact]
    public async Task The_bandwidth_cap_charges_header_bytes_per_segment()
    {
        // 100 voice-sized messages of 26 B every 20 ms on a 20 kbit/s uplink: 10.4 kbit/s of payload would pass in
        // about 2 s, but with 81 B of TCP/IP and TLS headers per segment they need 42.8 kbit/s and queue (up to ~4.3 s; less once the held-back reader
        // takes several messages as one segment, 3.1 s measured here).
        await using var sink = LoopbackServer.Discarding();
        await using var proxy = new ImpairmentProxy(sink.Address, s_clean with { UpKilobitsPerSecond = 20 });
        using var socket = await ConnectAsync(proxy.Address);
        socket.NoDelay = true;

        var clock = Stopwatch.StartNew();
        for (var message = 0; message < 100; message++)
        {
            await socket.SendAsync(new byte[26], SocketFlags.None, Cancel);
            var due = TimeSpan.FromMilliseconds(20 * (message + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, Cancel);
            }
        }

        while (sink.BytesReceived < 2_600 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20, Cancel);
        }

        Assert.Equal(2_600, sink.BytesReceived);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.6, 12);
    }

    [Fact]
    public async Task A_sender_that_outruns_a_capped_link_is_held_back_after_about_a_second_of_queue()
    {
        await using var sink = LoopbackServer.Discarding();
        await using var proxy = new ImpairmentProxy(sink.Address, s_clean with { UpKilobitsPerSecond = 100 });
        using var socket = await ConnectAsync(proxy.Address);
        socket.SendBufferSize = 16 * 1024;

        // Two seconds of sending as fast as the socket takes it: the link carries 25 KB, the bottleneck queues 12.5 KB,
        // and small socket buffers hold some tens of KB more. Without the bound it would take hundreds of KB.
        var accepted = 0L;
        var chunk = new byte[8 * 1024];
        using var twoSeconds = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        twoSeconds.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                accepted += await socket.SendAsync(chunk, SocketFlags.None, twoSeconds.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Two seconds are up.
        }

        Assert.InRange(accepted, 25_000, 200_000);
    }

    [Fact]
    public async Task Loss_shows_up_as_retransmission_stalls()
    {
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, s_clean with { LossPercent = 30, RetransmitMilliseconds = 250 }, seed: 3);
        using var socket = await ConnectAsync(proxy.Address);

        var roundTrips = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            roundTrips.Add(await PingAsync(socket));
        }

        Assert.Contains(roundTrips, rtt => rtt >= 240);
        Assert.Contains(roundTrips, rtt => rtt < 100);
    }

    [Fact]
    public async Task An_outage_holds_traffic_until_it_ends()
    {
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, s_clean with { OutageEverySeconds = 3, OutageSeconds = 0.8 });
        using var socket = await ConnectAsync(proxy.Address);
        await PingAsync(socket);

        // The first outage runs from 1.5 s (half a period) to 2.3 s.
        await WaitUntilAsync(TimeSpan.FromSeconds(1.6));
        var duringOutage = await PingAsync(socket);

        Assert.InRange(duringOutage, 400, 1_500);
    }

    [Fact]
    public async Task An_outage_with_reset_drops_open_connections()
    {
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, s_clean with { OutageEverySeconds = 2, OutageSeconds = 0.5, ResetOnOutage = true });
        using var socket = await ConnectAsync(proxy.Address);
        await PingAsync(socket);

        // The first outage, with its reset, starts at 1 s (half a period).
        await WaitUntilAsync(TimeSpan.FromSeconds(1.3));
        var buffer = new byte[1];
        var dropped = false;
        try
        {
            await socket.SendAsync(new byte[] { 1 }, SocketFlags.None, Cancel);
            dropped = await socket.ReceiveAsync(buffer, SocketFlags.None, Cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Cancel) == 0;
        }
        catch (SocketException)
        {
            dropped = true;
        }

        Assert.True(dropped, "the connection survived an outage that resets");
        Assert.Equal(1, proxy.ResetCount);
    }

    [Fact]
    public void Only_loopback_targets_are_accepted()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImpairmentProxy(new Uri("http://192.0.2.1:80"), s_clean));
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_profiles_keep_their_figures_and_cite_their_source()
    {
        Assert.True(NetworkProfile.TryGet("edge", out var edge));
        Assert.Equal((250, 50), (edge.DownKilobitsPerSecond, edge.UpKilobitsPerSecond));
        Assert.True(NetworkProfile.TryGet("3g", out var threeG));
        Assert.Equal((750, 250), (threeG.DownKilobitsPerSecond, threeG.UpKilobitsPerSecond));
        Assert.All(NetworkProfile.All, profile => Assert.False(string.IsNullOrWhiteSpace(profile.Source)));
        Assert.True(NetworkProfile.VenueWifi.ResetOnOutage);
        Assert.InRange(NetworkProfile.VenueWifi.OutageSeconds, 5, 20);
    }

    private static async Task<Socket> ConnectAsync(Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port), Cancel);
        return socket;
    }

    private static async Task<double> PingAsync(Socket socket)
    {
        var clock = Stopwatch.StartNew();
        await socket.SendAsync(new byte[] { 42 }, SocketFlags.None, Cancel);
        await ReadExactlyAsync(socket, 1);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (read < count)
        {
            var got = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (got == 0)
            {
                throw new IOException("The proxy closed the connection early.");
            }

            read += got;
        }

        return buffer;
    }

    private static async Task<int> ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        var total = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        int got;
        while ((got = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            total += got;
        }

        return total;
    }

    /// <summary>Waits for a point in the proxy's outage schedule (the schedule is time itself; nothing else to wait on).</summary>
    private static Task WaitUntilAsync(TimeSpan sinceStart) => Task.Delay(sinceStart, Cancel);
}
