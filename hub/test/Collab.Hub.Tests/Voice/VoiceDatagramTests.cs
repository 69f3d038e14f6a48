using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.Conferencing.Voice;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Hub.Voice;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Collab.Hub.Tests.Voice;

/// <summary>
/// Voice over the unreliable path (hub/PROTOCOL.md, "Voice datagrams"): real Kestrel and SignalR clients on 127.0.0.1,
/// the hub's UDP endpoint, the .NET client's <see cref="VoiceDatagramChannel"/>, and raw datagrams where a test plays
/// an attacker. Liveness and overlap are short (1000 ms and 500 ms; 2000 ms and none where a test never waits for a
/// switch, so a ping a loaded machine delays does not switch paths) so a switch takes about a second.
/// </summary>
public sealed class VoiceDatagramTests(RedisServer redis, ITestOutputHelper output)
{
    private const string MeterName = "Collab.Voice";

    private static readonly (string Key, string Value)[] s_noOverlap =
    [
        ("Collab:Voice:Datagrams:LivenessMilliseconds", "2000"),
        ("Collab:Voice:Datagrams:OverlapMilliseconds", "0"),
    ];

    private static readonly VoiceDatagramChannelOptions s_noOverlapClient = VoiceClient.Fast with { Liveness = TimeSpan.FromSeconds(2), Overlap = TimeSpan.Zero };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dotnet_speaker_reaches_a_dotnet_listener_by_datagram_and_not_by_SignalR()
    {
        await using var host = await HubHost.StartAsync(s_noOverlap);
        using var sessions = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), MeterName, "collab.voice.sessions");
        var meeting = await host.CreateMeetingAsync("Voice", Cancel);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, host.Address, s_noOverlapClient);
        await using var listenerVoice = await VoiceClient.OpenAsync(listener, host.Address, s_noOverlapClient);
        await speakerVoice.WaitForPathAsync(VoicePaths.Unreliable);
        await listenerVoice.WaitForPathAsync(VoicePaths.Unreliable);

        await PublishAsync(speakerVoice, 0, 30);

        await listenerVoice.WaitForAsync(v => v.Sequences().Distinct().Count() == 30, "every batch");
        sessions.RecordObservableInstruments();
        Assert.Equal(Enumerable.Range(0, 30), listenerVoice.Sequences(VoicePaths.Unreliable).Order());
        Assert.Empty(listenerVoice.Sequences(VoicePaths.SignalR));
        Assert.Empty(listener.AudioReceived);
        Assert.Empty(speakerVoice.Received);
        Assert.Equal((30, 0), speakerVoice.Channel.Published);
        Assert.Equal(2, sessions.GetMeasurementSnapshot().Last(m => Path(m) == VoicePaths.Unreliable).Value);
        Assert.Equal(0, sessions.GetMeasurementSnapshot().Last(m => Path(m) == VoicePaths.SignalR).Value);
    }

    [Fact]
    public async Task Datagram_audio_passes_the_same_floor_and_validation_gate_and_a_refusal_is_dropped_and_counted()
    {
        await using var host = await HubHost.StartAsync(s_noOverlap);
        using var dropped = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), MeterName, "collab.voice.datagrams.dropped");
        var meeting = await host.CreateMeetingAsync("Voice", Cancel);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, host.Address, s_noOverlapClient with { Path = VoicePathChoice.Unreliable });
        await using var listenerVoice = await VoiceClient.OpenAsync(listener, host.Address, s_noOverlapClient);
        await speakerVoice.WaitForPathAsync(VoicePaths.Unreliable);
        await listenerVoice.WaitForPathAsync(VoicePaths.Unreliable);

        await PublishAsync(speakerVoice, 0, 3);
        await dropped.WaitForMeasurementsAsync(3, MeetingClient.DefaultTimeout).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await speakerVoice.Channel.PublishAsync([1, 0, 3, 1, 2, 3], Cancel);
        await dropped.WaitForMeasurementsAsync(4, MeetingClient.DefaultTimeout).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        await speakerVoice.Channel.PublishAsync(NumberedBatches.Create(7), Cancel);

        await listenerVoice.WaitForAsync(v => v.Received.Count > 0, "the batch sent with the floor");
        Assert.Equal([7], listenerVoice.Sequences());
        Assert.Empty(listener.AudioReceived);
        Assert.Equal((5, 0), speakerVoice.Channel.Published);
        Assert.All(dropped.GetMeasurementSnapshot(), m => Assert.Equal("refused", m.Tags["reason"]));
        Assert.Equal(4, dropped.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task Datagrams_with_another_sessions_key_replayed_oversized_or_of_no_session_get_no_answer_and_are_counted()
    {
        await using var host = await HubHost.StartAsync(s_noOverlap);
        using var dropped = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), MeterName, "collab.voice.datagrams.dropped");
        var meeting = await host.CreateMeetingAsync("Voice", Cancel);
        var (a, _) = await host.JoinAsync(meeting, "A");
        var (b, _) = await host.JoinAsync(meeting, "B");
        await using var _a = a;
        await using var _b = b;
        var viewA = await a.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest());
        var viewB = await b.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest());
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(new IPEndPoint(IPAddress.Loopback, viewA.Port!.Value));
        using var own = new VoiceDatagramCipher(viewA.SessionId, viewA.Key);
        using var forged = new VoiceDatagramCipher(viewA.SessionId, viewB.Key);
        using var nobody = new VoiceDatagramCipher([9, 9, 9, 9, 9, 9, 9, 9], viewA.Key);
        var buffer = new byte[2_048];

        var ping1 = Seal(own, 1, VoiceDatagramType.Ping, [0, 0, 0, 0, 0, 0, 0, 1]);
        await udp.SendAsync(ping1, Cancel);
        var pong1 = await ReceiveAsync(udp, own, buffer);
        await udp.SendAsync(ping1, Cancel);
        await udp.SendAsync(Seal(forged, 2, VoiceDatagramType.Ping, [0, 0, 0, 0, 0, 0, 0, 2]), Cancel);
        await udp.SendAsync(Seal(nobody, 1, VoiceDatagramType.Ping, [0, 0, 0, 0, 0, 0, 0, 3]), Cancel);
        await udp.SendAsync(new byte[VoiceDatagram.MaxBytes + 1], Cancel);
        await udp.SendAsync(Seal(own, 3, VoiceDatagramType.Pong, [0, 0, 0, 0, 0, 0, 0, 4]), Cancel);
        await udp.SendAsync(Seal(own, 4, VoiceDatagramType.Ping, [0, 0, 0, 0, 0, 0, 0, 5]), Cancel);
        var pong2 = await ReceiveAsync(udp, own, buffer);
        await a.InvokeAsync(nameof(IMeetingHub.Leave));
        await udp.SendAsync(Seal(own, 5, VoiceDatagramType.Ping, [0, 0, 0, 0, 0, 0, 0, 6]), Cancel);
        await dropped.WaitForMeasurementsAsync(6, MeetingClient.DefaultTimeout).WaitAsync(MeetingClient.DefaultTimeout, Cancel);

        Assert.Equal((1UL, VoiceDatagramType.Pong, 1L), pong1);
        Assert.Equal((2UL, VoiceDatagramType.Pong, 5L), pong2);
        Assert.Equal(
            ["auth", "auth", "replay", "size", "unknown", "unknown"],
            dropped.GetMeasurementSnapshot().Select(m => (string)m.Tags["reason"]!).Order(StringComparer.Ordinal));
        Assert.Null(viewA.Host);
        Assert.Null(viewA.Answer);
        Assert.NotEqual(viewA.SessionId, viewB.SessionId);
    }

    [Fact]
    public async Task The_channel_is_refused_before_a_join_and_unavailable_when_the_endpoint_is_off_and_voice_then_rides_SignalR()
    {
        await using var off = await HubHost.StartAsync(("Collab:Voice:Datagrams:Enabled", "false"));
        await using var on = await HubHost.StartAsync(s_noOverlap);
        var meeting = await off.CreateMeetingAsync("Voice", Cancel);
        await using var stranger = await on.ConnectAsync();
        var (speaker, _) = await off.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await off.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        var onMeeting = await on.CreateMeetingAsync("Voice", Cancel);
        var (browser, _) = await on.JoinAsync(onMeeting, "Browser");
        await using var _b = browser;

        var notJoined = await Assert.ThrowsAsync<HubException>(() => stranger.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest()));
        var disabled = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest()));
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, off.Address);
        await using var listenerVoice = await VoiceClient.OpenAsync(listener, off.Address);
        await PublishAsync(speakerVoice, 0, 5);
        await listenerVoice.WaitForAsync(v => v.Received.Count == 5, "every batch by SignalR");

        Assert.StartsWith("not_joined:", notJoined.Reason(), StringComparison.Ordinal);
        Assert.Equal("unavailable: Voice datagrams are off on this node (Collab:Voice:Datagrams:Enabled is false).", disabled.Reason());
        Assert.Equal("Voice datagrams are off on this node (Collab:Voice:Datagrams:Enabled is false).", speakerVoice.Channel.Unavailable);
        Assert.Equal(VoicePaths.SignalR, speakerVoice.Channel.VoicePath);
        Assert.Equal(Enumerable.Range(0, 5), listenerVoice.Sequences(VoicePaths.SignalR));
        Assert.Equal((0, 5), speakerVoice.Channel.Published);
        if (on.Services.GetRequiredService<IMediaEdge>().Unavailable is { } noEdge)
        {
            var offer = await Assert.ThrowsAsync<HubException>(() => browser.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest("v=0\r\n")));
            Assert.Equal($"unavailable: The media edge is not running on this node ({noEdge}).", offer.Reason());
        }
    }

    [Fact]
    public async Task No_datagram_audio_crosses_meetings()
    {
        await using var host = await HubHost.StartAsync(s_noOverlap);
        var first = await host.CreateMeetingAsync("First", Cancel);
        var second = await host.CreateMeetingAsync("Second", Cancel);
        var (speaker1, _) = await host.JoinAsync(first, "Speaker 1", protocol: HubProtocol.MessagePack);
        var (listener1, _) = await host.JoinAsync(first, "Listener 1", protocol: HubProtocol.MessagePack);
        var (speaker2, _) = await host.JoinAsync(second, "Speaker 2", protocol: HubProtocol.MessagePack);
        var (listener2, _) = await host.JoinAsync(second, "Listener 2", protocol: HubProtocol.MessagePack);
        await using var _s1 = speaker1;
        await using var _l1 = listener1;
        await using var _s2 = speaker2;
        await using var _l2 = listener2;
        await speaker1.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await speaker2.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await using var voice1 = await VoiceClient.OpenAsync(speaker1, host.Address, s_noOverlapClient);
        await using var heard1 = await VoiceClient.OpenAsync(listener1, host.Address, s_noOverlapClient);
        await using var voice2 = await VoiceClient.OpenAsync(speaker2, host.Address, s_noOverlapClient);
        await using var heard2 = await VoiceClient.OpenAsync(listener2, host.Address, s_noOverlapClient);
        foreach (var voice in new[] { voice1, heard1, voice2, heard2 })
        {
            await voice.WaitForPathAsync(VoicePaths.Unreliable);
        }

        await PublishAsync(voice1, 0, 10);
        await heard1.WaitForAsync(v => v.Received.Count == 10, "the first meeting's audio");
        await PublishAsync(voice2, 100, 1);
        await heard2.WaitForAsync(v => v.Received.Count > 0, "the second meeting's audio");

        Assert.Equal(Enumerable.Range(0, 10), heard1.Sequences(VoicePaths.Unreliable).Order());
        Assert.Equal([100], heard2.Sequences());
        Assert.Empty(voice2.Received);
    }

    [Fact]
    public async Task Two_nodes_share_a_meeting_over_the_audio_bus_with_datagram_listeners_on_both()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, s_noOverlap);
        var meeting = await cluster.A.CreateMeetingAsync("Voice across nodes", Cancel);
        var (speaker, speakerJoin) = await cluster.A.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listenerA, _) = await cluster.A.JoinAsync(meeting, "Listener A", protocol: HubProtocol.MessagePack);
        var (listenerB, _) = await cluster.B.JoinAsync(meeting, "Listener B", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _la = listenerA;
        await using var _lb = listenerB;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await listenerB.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Speakers.Contains(speakerJoin.ParticipantId)), "the floor change on node B");
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, cluster.A.Address, s_noOverlapClient);
        await using var onA = await VoiceClient.OpenAsync(listenerA, cluster.A.Address, s_noOverlapClient);
        await using var onB = await VoiceClient.OpenAsync(listenerB, cluster.B.Address, s_noOverlapClient);
        foreach (var voice in new[] { speakerVoice, onA, onB })
        {
            await voice.WaitForPathAsync(VoicePaths.Unreliable);
        }

        await PublishAsync(speakerVoice, 0, 20);

        await onA.WaitForAsync(v => v.Received.Count == 20, "every batch on node A");
        await onB.WaitForAsync(v => v.Received.Count == 20, "every batch on node B");
        Assert.Equal(Enumerable.Range(0, 20), onA.Sequences(VoicePaths.Unreliable).Order());
        Assert.Equal(Enumerable.Range(0, 20), onB.Sequences(VoicePaths.Unreliable).Order());
        Assert.All(onB.Received, audio => Assert.Equal(speakerJoin.ParticipantId, audio.SpeakerId));
        Assert.Empty(listenerA.AudioReceived);
        Assert.Empty(listenerB.AudioReceived);
    }

    [Fact]
    public async Task A_UDP_block_mid_stream_moves_voice_to_SignalR_within_the_overlap_and_it_returns_to_datagrams_when_unblocked()
    {
        await using var host = await HubHost.StartAsync(VoiceClient.FastHubSettings);
        var meeting = await host.CreateMeetingAsync("Voice", Cancel);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var port = (await speaker.InvokeAsync<VoiceChannelView>(nameof(IMeetingHub.OpenVoiceChannel), new VoiceChannelRequest())).Port!.Value;
        await using var speakerRelay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, port));
        await using var listenerRelay = new UdpRelay(new IPEndPoint(IPAddress.Loopback, port));
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, host.Address, VoiceClient.Fast with { RemoteEndPoint = speakerRelay.EndPoint });
        await using var listenerVoice = await VoiceClient.OpenAsync(listener, host.Address, VoiceClient.Fast with { RemoteEndPoint = listenerRelay.EndPoint });
        await speakerVoice.WaitForPathAsync(VoicePaths.Unreliable);
        await listenerVoice.WaitForPathAsync(VoicePaths.Unreliable);
        var sent = 0;
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        async Task PublishWhileAsync(Func<bool> more, int most)
        {
            for (var i = 0; i < most && more(); i++)
            {
                await speakerVoice.Channel.PublishAsync(NumberedBatches.Create(sent++), Cancel);
                await clock.WaitForNextTickAsync(Cancel);
            }
        }

        bool Both(string path) => speakerVoice.Channel.VoicePath == path && listenerVoice.Channel.VoicePath == path;

        await PublishWhileAsync(() => true, 40);
        speakerRelay.Blocked = listenerRelay.Blocked = true;
        var blockedAt = sent;
        await PublishWhileAsync(() => !Both(VoicePaths.SignalR), 150);
        var fellBack = Both(VoicePaths.SignalR);
        var fellBackAt = sent;
        await PublishWhileAsync(() => true, 20);
        speakerRelay.Blocked = listenerRelay.Blocked = false;
        var unblockedAt = sent;
        await PublishWhileAsync(() => !Both(VoicePaths.Unreliable), 150);
        var recovered = Both(VoicePaths.Unreliable);
        var recoveredAt = sent;
        // Past the overlap after the return (both paths), then 15 batches that must come by datagram alone.
        await PublishWhileAsync(() => true, (VoiceClient.FastOverlapMilliseconds / 20) + 20);
        await listenerVoice.WaitForAsync(v => v.Sequences(VoicePaths.Unreliable).Contains(sent - 1), "the last batch by datagram");

        var heard = listenerVoice.Sequences().ToHashSet();
        var missing = Enumerable.Range(0, sent).Where(sequence => !heard.Contains(sequence)).ToList();
        var bySignalR = listenerVoice.Sequences(VoicePaths.SignalR).ToHashSet();
        output.WriteLine($"sent {sent}; blocked at {blockedAt}, both on SignalR at {fellBackAt}, unblocked at {unblockedAt}, both back on datagrams at {recoveredAt}; " +
            $"missing {missing.Count} ({string.Join(",", missing)}); by SignalR {bySignalR.Count}; relays dropped {speakerRelay.Dropped + listenerRelay.Dropped}");
        Assert.True(fellBack && recovered);
        // Lost: what went by datagram only between the block and the doubling (liveness − overlap, plus a ping), and a
        // batch or two sent just before the block that were still in a relay or on the wire when it began.
        Assert.All(missing, sequence => Assert.InRange(sequence, blockedAt - 2, blockedAt + (VoiceClient.FastLivenessMilliseconds / 20)));
        Assert.True(missing.Count <= ((VoiceClient.FastLivenessMilliseconds - VoiceClient.FastOverlapMilliseconds + VoiceClient.FastPingMilliseconds) / 20) + 5, $"{missing.Count} batches lost at the block");
        Assert.Superset(Enumerable.Range(fellBackAt, unblockedAt - fellBackAt).ToHashSet(), bySignalR);
        Assert.All(Enumerable.Range(sent - 15, 15), sequence => Assert.DoesNotContain(sequence, bySignalR));
        // The first change (to datagrams) may come before the test subscribed; after it, a fall-back and the return.
        Assert.Contains(VoicePaths.SignalR, listenerVoice.PathChanges);
        Assert.Equal(VoicePaths.Unreliable, listenerVoice.PathChanges[^1]);
        Assert.True(speakerRelay.Dropped > 0 && listenerRelay.Dropped > 0);
    }

    [Fact]
    public async Task After_a_SignalR_reconnect_and_rejoin_the_channel_opens_a_new_session_and_returns_to_datagrams()
    {
        await using var host = await HubHost.StartAsync(s_noOverlap);
        await using var link = new TcpProxy(host.Address);
        var meeting = await host.CreateMeetingAsync("Voice", Cancel);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var listener = await MeetingClient.ConnectAsync(link.Address, HubProtocol.MessagePack, Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets, Cancel,
            new JitteredRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        var join = await listener.JoinAsync(new Conferencing.Meetings.JoinRequest(meeting.MeetingId, "Listener", JoinCode: meeting.JoinCode));
        var rejoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Connection.Reconnected += async _ =>
        {
            await listener.Connection.JoinAsync(new Conferencing.Meetings.JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken), Cancel);
            rejoined.TrySetResult();
        };
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await using var speakerVoice = await VoiceClient.OpenAsync(speaker, host.Address, s_noOverlapClient);
        await using var listenerVoice = await VoiceClient.OpenAsync(listener, link.Address, s_noOverlapClient);
        await speakerVoice.WaitForPathAsync(VoicePaths.Unreliable);
        await listenerVoice.WaitForPathAsync(VoicePaths.Unreliable);

        link.Reset();
        await rejoined.Task.WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        await listenerVoice.WaitForAsync(v => v.PathChanges.SkipWhile(path => path == VoicePaths.Unreliable).Contains(VoicePaths.Unreliable), "the channel back on datagrams");
        await PublishAsync(speakerVoice, 0, 10);

        await listenerVoice.WaitForAsync(v => v.Received.Count == 10, "the audio after the rejoin");
        Assert.Equal(Enumerable.Range(0, 10), listenerVoice.Sequences(VoicePaths.Unreliable).Order());
        Assert.Null(listenerVoice.Channel.Unavailable);
        Assert.Equal([VoicePaths.SignalR, VoicePaths.Unreliable], listenerVoice.PathChanges.SkipWhile(path => path == VoicePaths.Unreliable));
    }

    private static async Task PublishAsync(VoiceClient speaker, int first, int count)
    {
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (var sequence = first; sequence < first + count; sequence++)
        {
            await speaker.Channel.PublishAsync(NumberedBatches.Create(sequence), Cancel);
            await clock.WaitForNextTickAsync(Cancel);
        }
    }

    private static byte[] Seal(VoiceDatagramCipher cipher, ulong counter, VoiceDatagramType type, byte[] payload)
    {
        var datagram = new byte[VoiceDatagram.Overhead + payload.Length];
        cipher.Seal(counter, VoiceDatagramDirection.ClientToHub, type, payload, datagram);
        return datagram;
    }

    private static async Task<(ulong Counter, VoiceDatagramType Type, long Payload)> ReceiveAsync(Socket udp, VoiceDatagramCipher cipher, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(MeetingClient.DefaultTimeout);
        var length = await udp.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var payload = new byte[VoiceDatagram.MaxPayloadBytes];
        Assert.True(cipher.TryOpen(buffer.AsSpan(0, length), VoiceDatagramDirection.HubToClient, payload, out var header, out var written));
        return (header.Counter, header.Type, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(0, written)));
    }

    private static string? Path(CollectedMeasurement<long> measurement) => measurement.Tags["path"] as string;
}
