using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collab.LoadGenerator.Impairment;

namespace Collab.LoadGenerator.Tests;

/// <summary>The UDP relay of an impaired link, between a real loopback socket playing the participant and one playing the hub.</summary>
public sealed class DatagramImpairmentTests
{
    private static readonly NetworkProfile s_clean = NetworkProfile.Good with { Name = "test" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Datagrams_take_the_links_latency_both_ways_and_replies_find_the_participant()
    {
        using var hub = Bound();
        using var participant = Bound();
        await using var relay = new DatagramImpairment((IPEndPoint)hub.LocalEndPoint!, s_clean with { OneWayLatencyMilliseconds = 100 }, seed: 1);
        var clock = Stopwatch.StartNew();

        await participant.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, relay.EndPoint, Ct);
        var atHub = await ReceiveAsync(hub);
        var up = clock.Elapsed;
        await hub.SendToAsync(new byte[] { 4, 5 }, SocketFlags.None, atHub.From, Ct);
        var back = await ReceiveAsync(participant);

        Assert.Equal([1, 2, 3], atHub.Bytes);
        Assert.Equal([4, 5], back.Bytes);
        Assert.Equal(relay.EndPoint, back.From); // the participant hears the hub through the relay
        Assert.True(up >= TimeSpan.FromMilliseconds(95), $"up took {up.TotalMilliseconds:0} ms");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(195), $"round trip took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_lost_datagram_is_gone_and_the_loss_rate_follows_the_profile()
    {
        using var hub = Bound();
        using var participant = Bound();
        await using var relay = new DatagramImpairment((IPEndPoint)hub.LocalEndPoint!, s_clean with { LossPercent = 20, MeanLossBurstSegments = 3 }, seed: 5);
        const int Sent = 1_000;
        var received = new HashSet<int>();
        var receiving = Task.Run(async () =>
        {
            while (await TryReceiveAsync(hub, TimeSpan.FromSeconds(1.5)) is { } datagram)
            {
                received.Add(BitConverter.ToInt32(datagram));
            }
        }, Ct);

        for (var i = 0; i < Sent; i++)
        {
            await participant.SendToAsync(BitConverter.GetBytes(i), SocketFlags.None, relay.EndPoint, Ct);
            if (i % 10 == 9)
            {
                await Task.Delay(2, Ct); // paced, so no socket buffer drops what the relay let through
            }
        }

        await receiving;
        Assert.Equal(Sent, relay.Forwarded + relay.Dropped);
        Assert.Equal(relay.Forwarded, received.Count); // what was not dropped arrived once; nothing dropped came late
        Assert.InRange(relay.Dropped / (double)Sent, 0.14, 0.26);
        var runs = Enumerable.Range(0, Sent).Where(i => !received.Contains(i) && received.Contains(i - 1)).Count();
        Assert.InRange(relay.Dropped / (double)runs, 2.0, 4.5); // bursts of about 3
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>The next datagram, or null after <paramref name="quiet"/> without one.</summary>
    private static async Task<byte[]?> TryReceiveAsync(Socket socket, TimeSpan quiet)
    {
        var buffer = new byte[2048];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(quiet);
        try
        {
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return buffer[..result.ReceivedBytes];
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<(byte[] Bytes, EndPoint From)> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[2048];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (buffer[..result.ReceivedBytes], result.RemoteEndPoint);
    }
}
