using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collab.Conferencing;
using Collab.Conferencing.Client;
using Collab.Conferencing.Voice;
using Collab.Hub.Voice;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Tests.Voice;

/// <summary>
/// The hub's side of the media edge with the real edge process (hub/src/Collab.MediaEdge, npm ci'd by test.sh) and a
/// real UDP socket standing for the node's datagram endpoint.
/// </summary>
public sealed class NodeMediaEdgeTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Starts_the_edge_toward_the_datagram_endpoint_answers_offers_and_stops_it_by_its_pid()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var logs = new FakeLogCollector();
        using var edge = Create(new MediaEdgeOptions { IceAddresses = "127.0.0.1" }, new Bound((IPEndPoint)udp.Client.LocalEndPoint!), logs);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);

        await edge.StartAsync(timeout.Token);
        Assert.True(await edge.WaitStartedAsync(timeout.Token), edge.Unavailable);
        Assert.Null(edge.Unavailable);
        using var process = Process.GetProcessById(edge.ProcessId!.Value);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1481 && r.Message.Contains($"datagrams to 127.0.0.1:{((IPEndPoint)udp.Client.LocalEndPoint!).Port}", StringComparison.Ordinal));

        var answer = await edge.AnswerAsync(SessionId(), new byte[16], await WeriftOfferAsync(timeout.Token), timeout.Token);
        Assert.StartsWith("v=0", answer, StringComparison.Ordinal);
        Assert.Contains("webrtc-datachannel", answer, StringComparison.Ordinal);
        Assert.Contains(" 127.0.0.1 ", answer, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<ConferencingException>(() => edge.AnswerAsync(SessionId(), new byte[16], "v=0\r\nm=nonsense\r\n", timeout.Token));
        Assert.Equal(ConferencingError.InvalidInput, refused.Error);
        Assert.StartsWith("The media edge refused the offer: ", refused.Message, StringComparison.Ordinal);
        await edge.CloseAsync(SessionId(), timeout.Token); // unknown to the edge: best effort, no throw

        await edge.StopAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task Without_the_edges_node_modules_it_is_off_and_one_line_says_what_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("collab-edge-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "edge.mjs"), "// not installed\n", TestContext.Current.CancellationToken);
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var logs = new FakeLogCollector();
            using var edge = Create(new MediaEdgeOptions { Directory = folder.FullName }, new Bound((IPEndPoint)udp.Client.LocalEndPoint!), logs);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);

            await edge.StartAsync(timeout.Token);
            Assert.False(await edge.WaitStartedAsync(timeout.Token));
            Assert.Contains("node_modules is missing", edge.Unavailable, StringComparison.Ordinal);
            var line = Assert.Single(logs.GetSnapshot(), r => r.Level >= LogLevel.Information);
            Assert.Equal(LogLevel.Warning, line.Level);
            Assert.Contains("off, ", line.Message, StringComparison.Ordinal);
            Assert.Contains($"npm ci --prefix {folder.FullName}", line.Message, StringComparison.Ordinal);
            Assert.Contains("Browsers' voice uses the SignalR connection", line.Message, StringComparison.Ordinal);
            var refused = await Assert.ThrowsAsync<ConferencingException>(() => edge.AnswerAsync(SessionId(), new byte[16], "v=0\r\n", timeout.Token));
            Assert.Equal(ConferencingError.Unavailable, refused.Error);
            Assert.StartsWith("The media edge is not running on this node (", refused.Message, StringComparison.Ordinal);
            await edge.StopAsync(timeout.Token);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_node_or_datagrams_it_is_off_and_says_why()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var noNode = Create(new MediaEdgeOptions { Node = "/nonexistent/node" }, new Bound((IPEndPoint)udp.Client.LocalEndPoint!), new FakeLogCollector());
        await noNode.StartAsync(timeout.Token);
        Assert.False(await noNode.WaitStartedAsync(timeout.Token));
        Assert.Equal("Node.js (/nonexistent/node) is not on PATH", noNode.Unavailable);

        using var noDatagrams = Create(new MediaEdgeOptions(), new VoiceDatagramsOff("Collab:Voice:Datagrams:Enabled is false"), new FakeLogCollector());
        await noDatagrams.StartAsync(timeout.Token);
        Assert.False(await noDatagrams.WaitStartedAsync(timeout.Token));
        Assert.Equal("voice datagrams are off on this node (Collab:Voice:Datagrams:Enabled is false)", noDatagrams.Unavailable);
    }

    [Fact]
    public async Task A_browser_offer_to_OpenVoiceChannel_is_answered_by_the_hubs_own_edge()
    {
        await using var host = await HubHost.StartAsync(("Collab:Voice:MediaEdge:Enabled", "true"), ("Collab:Voice:MediaEdge:IceAddresses", "127.0.0.1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);
        var edge = Assert.IsType<NodeMediaEdge>(host.Services.GetRequiredService<IMediaEdge>());
        Assert.True(await edge.WaitStartedAsync(timeout.Token), edge.Unavailable);
        var meeting = await host.CreateMeetingAsync("Edge check", timeout.Token);
        var (client, _) = await host.JoinAsync(meeting, "Ana");
        await using var _client = client;

        var view = await client.Connection.OpenVoiceChannelAsync(new VoiceChannelRequest(await WeriftOfferAsync(timeout.Token)), timeout.Token);
        Assert.Equal(8, view.SessionId.Length);
        Assert.Null(view.Key);
        Assert.NotNull(view.Answer);
        Assert.Contains("webrtc-datachannel", view.Answer, StringComparison.Ordinal);
        Assert.Contains(" 127.0.0.1 ", view.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_hubs_run_no_edge_unless_asked_and_say_so_to_a_browser_offer()
    {
        await using var host = await HubHost.StartAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_timeout);
        var edge = Assert.IsType<NodeMediaEdge>(host.Services.GetRequiredService<IMediaEdge>());
        Assert.False(await edge.WaitStartedAsync(timeout.Token));
        var meeting = await host.CreateMeetingAsync("No edge", timeout.Token);
        var (client, _) = await host.JoinAsync(meeting, "Ana");
        await using var _client = client;
        var refused = await Assert.ThrowsAsync<HubException>(() => client.Connection.OpenVoiceChannelAsync(new VoiceChannelRequest("v=0\r\n"), timeout.Token));
        Assert.Equal("unavailable: The media edge is not running on this node (it is turned off (Collab:Voice:MediaEdge:Enabled=false)).", refused.Reason());
    }

    private static byte[] SessionId() => Guid.NewGuid().ToByteArray()[..8];

    private static NodeMediaEdge Create(MediaEdgeOptions options, IVoiceDatagramAddress datagrams, FakeLogCollector logs) =>
        new(Options.Create(options), datagrams, new TestEnvironment(), new FakeLogger<NodeMediaEdge>(logs));

    /// <summary>An SDP offer with the "voice" channel from a werift peer (as a browser makes one), after ICE gathering.</summary>
    private static async Task<string> WeriftOfferAsync(CancellationToken cancellationToken)
    {
        const string Script = "import {RTCPeerConnection} from 'werift'; const pc = new RTCPeerConnection({iceAdditionalHostAddresses:['127.0.0.1']}); "
            + "pc.createDataChannel('voice',{ordered:false,maxRetransmits:0}); await pc.setLocalDescription(await pc.createOffer()); "
            + "if (pc.iceGatheringState!=='complete') await new Promise(r=>pc.iceGatheringStateChange.subscribe(s=>s==='complete'&&r())); "
            + "process.stdout.write(pc.localDescription.sdp); await pc.close(); process.exit(0);";
        var folder = MediaEdgeLocator.FindDirectory(null, AppContext.BaseDirectory, AppContext.BaseDirectory)!;
        using var node = Process.Start(new ProcessStartInfo("node") { WorkingDirectory = folder, ArgumentList = { "--input-type=module", "-e", Script }, RedirectStandardOutput = true })!;
        try
        {
            var offer = await node.StandardOutput.ReadToEndAsync(cancellationToken);
            await node.WaitForExitAsync(cancellationToken);
            return offer;
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    private sealed class Bound(IPEndPoint endpoint) : IVoiceDatagramAddress
    {
        public string? OffReason => null;

        public Task<IPEndPoint?> LocalEndPointAsync(CancellationToken cancellationToken) => Task.FromResult<IPEndPoint?>(endpoint);
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "Collab.Hub";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
