using System.Diagnostics.Metrics;
using Collab.Codec.Packets;
using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Hub.Tests.Audio;

/// <summary>Runs alone: a healthy listener keeping up with a fast sender should not compete with other tests for CPU.</summary>
[CollectionDefinition(nameof(SlowListenerTests), DisableParallelization = true)]
[Collection(nameof(SlowListenerTests))]
public sealed class SlowListenerTests
{
    private const int QueueBatches = 16;

    [Fact]
    public async Task A_listener_that_stops_reading_stays_bounded_and_drops_while_a_healthy_listener_gets_everything()
    {
        await using var host = await HubHost.StartAsync(
            ("Collab:Audio:SpeakerBytesPerSecond", "100000000"),
            ("Collab:Audio:ListenerQueueBatches", QueueBatches.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var relay = host.Services.GetRequiredService<AudioRelay>();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        using var drops = new DropCounter(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await using var link = new TcpProxy(host.Address);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (healthy, _) = await host.JoinAsync(meeting, "Healthy", protocol: HubProtocol.MessagePack);
        await using var slow = await MeetingClient.ConnectAsync(link.Address, HubProtocol.MessagePack, cancellationToken: TestContext.Current.CancellationToken);
        await using var _s = speaker;
        await using var _h = healthy;
        await slow.JoinAsync(new Conferencing.Meetings.JoinRequest(meeting.MeetingId, "Slow", JoinCode: meeting.JoinCode));
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));

        // Large batches (8 packets of 3.7 KB, 7 MB in all) outgrow even a fully auto-tuned kernel send buffer (4 MB here)
        // plus the transport pipes within two seconds, so the stalled connection really backs up.
        var batches = Enumerable.Range(0, 250).Select(LargeBatch).ToList();
        link.Stall();
        var maxQueued = 0;
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        foreach (var batch in batches)
        {
            await speaker.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], TestContext.Current.CancellationToken);
            maxQueued = Math.Max(maxQueued, relay.QueuedFor(slow.Connection.ConnectionId!));
            await clock.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }

        await healthy.WaitForAsync(c => c.AudioReceived.Count == batches.Count, "every batch at the healthy listener");
        var droppedWhileStalled = drops.Total;
        var queuedWhileStalled = relay.QueuedFor(slow.Connection.ConnectionId!);
        link.Resume();

        Assert.Equal(batches, healthy.AudioReceived.Select(a => a.Batch));
        Assert.InRange(maxQueued, 0, QueueBatches);
        Assert.InRange(queuedWhileStalled, QueueBatches - 1, QueueBatches);
        Assert.True(droppedWhileStalled > 0, "the stalled listener's audio should have been dropped, not buffered");
        await slow.WaitForAsync(c => c.AudioReceived.Count > 0, "the slow listener's remaining audio after it resumes");
        Assert.True(slow.AudioReceived.Count < batches.Count, "the slow listener cannot have received everything");
    }

    private static byte[] LargeBatch(int index)
    {
        var packets = Enumerable.Range(0, 8).Select(i =>
        {
            var packet = new byte[3_700];
            var writer = new AudioPacketWriter(packet, new AudioPacketHeader((ushort)((index * 8) + i), (uint)(((index * 8) + i) * 960), 20, 30, true, 4));
            return packet[..writer.Complete(new byte[3_690])];
        }).ToList();
        return SpeechBatches.Batch(packets);
    }

    /// <summary>
    /// Sums <c>collab.audio.packets.dropped</c> of one in-process hub (its meter factory's meters: the instruments
    /// carry no meeting id, and other tests' hubs run in this process too).
    /// </summary>
    private sealed class DropCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public DropCounter(System.Diagnostics.Metrics.IMeterFactory hubMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AudioMetrics.MeterName && instrument.Meter.Scope == hubMeters && instrument.Name == "collab.audio.packets.dropped")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
