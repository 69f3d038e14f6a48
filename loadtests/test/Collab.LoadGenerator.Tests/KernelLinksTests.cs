using System.Diagnostics;
using System.Net.Sockets;
using Collab.LoadGenerator.Impairment;

namespace Collab.LoadGenerator.Tests;

/// <summary>
/// Kernel mode on this machine's kernel: namespaces, tbf and nftables applied to real packets. Skipped with the probe's
/// reason where kernel mode is unavailable (not root, no namespaces, tools missing).
/// </summary>
[Collection(nameof(ImpairmentProxyTests))]
public sealed class KernelLinksTests
{
    private static readonly NetworkProfile s_clean = NetworkProfile.Good with { Name = "test" };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_participant_s_uplink_rate_is_capped_by_the_kernel()
    {
        await using var links = await CreateAsync([s_clean with { UpKilobitsPerSecond = 200 }]);
        await using var sink = LoopbackServer.Discarding();
        await using var proxy = new ImpairmentProxy(sink.Address, links.ProxyPart(s_clean), listenOn: links.BridgeAddress);
        using var socket = NamespaceSockets.Create(links.NamespaceOf(0));
        await socket.ConnectAsync(links.BridgeAddress, proxy.Address.Port, Cancel);

        var chunk = new byte[8 * 1024];
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var sender = Task.Run(async () =>
        {
            while (!sending.IsCancellationRequested)
            {
                await socket.SendAsync(chunk, SocketFlags.None, sending.Token);
            }
        }, Cancel);
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        var before = sink.BytesReceived;
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        var inTwoSeconds = sink.BytesReceived - before;
        await sending.CancelAsync();
        await sender.ContinueWith(_ => { }, TaskScheduler.Default);

        // 200 kbit/s is 50 KB in two seconds; unshaped loopback would carry hundreds of megabytes.
        Assert.InRange(inTwoSeconds, 35_000, 65_000);
    }

    [Fact]
    public async Task Loss_drops_real_packets_so_tcp_retransmits_after_a_timeout()
    {
        await using var links = await CreateAsync([s_clean with { LossPercent = 25 }]);
        await using var echo = LoopbackServer.Echo();
        await using var proxy = new ImpairmentProxy(echo.Address, links.ProxyPart(s_clean with { LossPercent = 25 }), listenOn: links.BridgeAddress);
        using var socket = NamespaceSockets.Create(links.NamespaceOf(0));
        await socket.ConnectAsync(links.BridgeAddress, proxy.Address.Port, Cancel);

        var roundTrips = new List<double>();
        var buffer = new byte[1];
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            await socket.SendAsync(new[] { (byte)i }, SocketFlags.None, Cancel);
            Assert.Equal(1, await socket.ReceiveAsync(buffer, SocketFlags.None, Cancel));
            Assert.Equal((byte)i, buffer[0]);
            roundTrips.Add(clock.Elapsed.TotalMilliseconds);
        }

        // The proxy adds nothing here (no delay, its loss model off): only a dropped packet's retransmission
        // timeout (Linux's minimum is 200 ms) makes a loopback round trip that slow. With 25 % loss each way,
        // 20 round trips without one would happen about once in 100,000 runs.
        Assert.Equal(0, links.ProxyPart(s_clean with { LossPercent = 25 }).LossPercent);
        Assert.Contains(roundTrips, rtt => rtt >= 190);
        Assert.Contains(roundTrips, rtt => rtt < 50);
    }

    [Fact]
    public async Task Everything_created_is_removed_on_dispose()
    {
        string name;
        await using (var links = await CreateAsync([s_clean, s_clean with { LossPercent = 1 }]))
        {
            name = links.NamespaceOf(1);
            Assert.Contains(name, (await Hosting.ExternalCommand.RunAsync("ip", ["netns", "list"], cancellationToken: Cancel)).Output, StringComparison.Ordinal);
        }

        var (_, namespaces) = await Hosting.ExternalCommand.RunAsync("ip", ["netns", "list"], cancellationToken: Cancel);
        var (_, interfaces) = await Hosting.ExternalCommand.RunAsync("ip", ["-o", "link"], cancellationToken: Cancel);
        Assert.DoesNotContain(name, namespaces, StringComparison.Ordinal);
        Assert.DoesNotContain($"clg{Environment.ProcessId}b", interfaces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_town_hall_runs_with_every_participant_in_its_own_namespace()
    {
        var profile = s_clean with { Name = "kernel", UpKilobitsPerSecond = 100, DownKilobitsPerSecond = 400, LossPercent = 2, OneWayLatencyMilliseconds = 20 };
        await using var links = await CreateAsync([.. Enumerable.Repeat(profile, 4)]);
        await using var hub = await Testing.HubHost.StartAsync();
        var settings = Scenarios.ScenarioSettings.For("town-hall", participants: 4, TimeSpan.FromSeconds(6), profile, speakers: 1, seed: 1)
            with { ChatMessagesPerParticipantPerSecond = 1 };

        var result = await new Scenarios.ScenarioRunner(settings, [hub.Address], _ => { }, kernel: links).RunAsync(Cancel);

        Assert.True(result.ChatMessages >= 4, $"only {result.ChatMessages} chat messages");
        Assert.Equal(result.ChatDeliveriesExpected, result.ChatDeliveriesReceived);
        Assert.True(result.TalliesExact);
        Assert.True(result.AudioPacketsHeard > 100, $"only {result.AudioPacketsHeard} audio packets heard");
    }

    private static async Task<KernelLinks> CreateAsync(IReadOnlyList<NetworkProfile> profiles)
    {
        var (available, reason) = await KernelLinks.ProbeAsync(Cancel);
        if (!available)
        {
            Assert.Skip($"Kernel mode is unavailable here: {reason}.");
        }

        return await KernelLinks.CreateAsync(profiles, _ => { }, Cancel);
    }
}
