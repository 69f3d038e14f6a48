using System.Buffers.Binary;
using System.Diagnostics;
using Collab.Codec.Audio;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;
using Collab.Codec.Statistics;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.LoadGenerator.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Meetings;

namespace Collab.LoadGenerator.Relay;

/// <summary>
/// Speakers publish real Opus (the speech sample, clear profile, one 20 ms packet per message) at a fixed rate to a
/// meeting whose listeners are spread over the spawned hub nodes. Every packet carries a unique sequence number, so
/// each listener's receive time is matched to its send time on this process's clock: the added relay latency.
/// Server CPU comes from /proc for the hub processes only. Bounded: warm-up plus the measured duration, then a
/// 2 s drain; everything spawned is stopped by PID.
/// </summary>
internal sealed class RelayBench(int speakers, int listeners, int packetsPerSecond, TimeSpan duration, int nodes, string configuration)
{
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(2);
    private readonly long[][] _sentAt = [.. Enumerable.Range(0, speakers).Select(_ => new long[65_536])];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long[] _latencies = [];
    private int _latencyCount;
    private long _received;
    private volatile bool _measuring;

    public async Task<RelayBenchResult> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var hubAssembly = RepositoryPaths.HubAssembly(configuration);
        await using var redis = nodes > 1 ? await SpawnedProcess.StartRedisAsync() : null;
        var prefix = $"bench{Environment.ProcessId}";
        var hubs = new List<SpawnedProcess>();
        var connections = new List<HubConnection>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                hubs.Add(await SpawnedProcess.StartHubAsync(hubAssembly, redis is null ? null : $"127.0.0.1:{redis.Port}", prefix));
            }

            progress($"{nodes} hub node(s) up{(redis is null ? string.Empty : $" on redis-server :{redis.Port}")}; connecting {listeners} listeners and {speakers} speakers");
            var meeting = await MeetingApi.CreateAsync(new Uri($"http://127.0.0.1:{hubs[0].Port}"), "relay benchmark", cancellationToken);
            var moderator = await JoinAsync(hubs[0].Port, meeting, "bench moderator", moderator: true, cancellationToken);
            connections.Add(moderator);
            await moderator.SetFloorModeAsync(new SetFloorModeRequest(FloorMode.OpenMic, speakers), cancellationToken);

            var speakerIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var speakerConnections = new List<HubConnection>();
            for (var i = 0; i < speakers; i++)
            {
                var connection = await JoinAsync(hubs[i % nodes].Port, meeting, $"speaker {i}", moderator: false, cancellationToken);
                await connection.SetAudioReceiveAsync(false, cancellationToken);
                await connection.RequestFloorAsync(cancellationToken);
                speakerConnections.Add(connection);
                connections.Add(connection);
            }

            var participants = await moderator.GetParticipantsAsync(cancellationToken);
            foreach (var participant in participants.Where(p => p.DisplayName.StartsWith("speaker ", StringComparison.Ordinal)))
            {
                speakerIds[participant.ParticipantId] = int.Parse(participant.DisplayName["speaker ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            await moderator.SetAudioReceiveAsync(false, cancellationToken);
            var expectedPerListener = (long)(duration.TotalSeconds * packetsPerSecond * speakers * 1.2) + 1_000;
            _latencies = new long[Math.Min(expectedPerListener * listeners, 50_000_000)];
            for (var i = 0; i < listeners; i++)
            {
                var connection = await JoinAsync(hubs[(i + speakers) % nodes].Port, meeting, $"listener {i}", moderator: false, cancellationToken, speakerIds);
                connections.Add(connection);
            }

            progress($"publishing: {speakers} speakers × {packetsPerSecond} packets/s; warm-up {s_warmUp.TotalSeconds:0} s, then {duration.TotalSeconds:0} s measured");
            var packets = SpeechPackets();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var published = new long[speakers];
            var publishing = speakerConnections.Select((connection, index) => PublishAsync(connection, index, packets, published, stop.Token)).ToList();

            await Task.Delay(s_warmUp, cancellationToken);
            var cpuBefore = hubs.Sum(h => h.CpuTime().TotalSeconds);
            var publishedBefore = published.Sum();
            _measuring = true;
            var started = _clock.Elapsed;
            var maxResident = 0L;
            while (_clock.Elapsed - started < duration)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                maxResident = Math.Max(maxResident, hubs.Max(h => h.ResidentBytes()));
            }

            var publishedInWindow = published.Sum() - publishedBefore;
            var measured = (_clock.Elapsed - started).TotalSeconds;
            var cpuAfter = hubs.Sum(h => h.CpuTime().TotalSeconds);
            _measuring = false;
            await stop.CancelAsync();
            await Task.WhenAll(publishing);
            await Task.Delay(s_drain, cancellationToken);

            var latencies = _latencies.AsSpan(0, Math.Min(_latencyCount, _latencies.Length)).ToArray();
            Array.Sort(latencies);
            return new RelayBenchResult(
                nodes,
                speakers,
                listeners,
                packetsPerSecond,
                measured,
                publishedInWindow,
                publishedInWindow * listeners,
                Interlocked.Read(ref _received),
                cpuAfter - cpuBefore,
                Milliseconds(Percentile.OfSorted<long>(latencies, 0.50)),
                Milliseconds(Percentile.OfSorted<long>(latencies, 0.99)),
                maxResident);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    private async Task PublishAsync(HubConnection connection, int speaker, IReadOnlyList<byte[]> packets, long[] published, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / packetsPerSecond));
        ushort sequence = 0;
        var batch = new byte[AudioBatch.MaxBytes];
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var packet = packets[sequence % packets.Count];
                var length = AudioBatch.Write(batch, packet, [packet.Length]);
                BinaryPrimitives.WriteUInt16BigEndian(batch.AsSpan(3 + 2), sequence);
                Volatile.Write(ref _sentAt[speaker][sequence], _clock.ElapsedTicks);
                await connection.SendCoreAsync("PublishAudio", [batch[..length]], stop);
                if (_measuring)
                {
                    Interlocked.Increment(ref published[speaker]);
                }

                sequence++;
            }
        }
        catch (OperationCanceledException)
        {
            // The measured window is over.
        }
    }

    private void OnAudio(Dictionary<string, int> speakerIds, string speakerId, byte[] batch)
    {
        if (!_measuring || !speakerIds.TryGetValue(speakerId, out var speaker) || batch.Length < 3 + AudioPacketFormat.HeaderBytes)
        {
            return;
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(batch.AsSpan(3 + 2));
        var latency = _clock.ElapsedTicks - Volatile.Read(ref _sentAt[speaker][sequence]);
        Interlocked.Increment(ref _received);
        var slot = Interlocked.Increment(ref _latencyCount) - 1;
        if (slot < _latencies.Length)
        {
            _latencies[slot] = latency;
        }
    }

    private async Task<HubConnection> JoinAsync(int port, CreatedMeeting meeting, string name, bool moderator, CancellationToken cancellationToken, Dictionary<string, int>? listenTo = null)
    {
        var connection = MeetingHubConnection.Build(new Uri($"http://127.0.0.1:{port}"));
        if (listenTo is not null)
        {
            connection.OnAudioReceived((speakerId, batch) => OnAudio(listenTo, speakerId, batch));
        }

        await connection.StartAsync(cancellationToken);
        await connection.JoinAsync(new JoinRequest(meeting.MeetingId, name, JoinCode: moderator ? null : meeting.JoinCode, ModeratorKey: moderator ? meeting.ModeratorKey : null), cancellationToken);
        return connection;
    }

    private static List<byte[]> SpeechPackets()
    {
        var speech = WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav"));
        var profile = ProfileLadder.Clear with { Dtx = false };
        using var sender = new VoiceSender(profile);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var packets = new List<byte[]>();
        for (var position = 0; position + profile.SamplesPerFrame <= speech.Length; position += profile.SamplesPerFrame)
        {
            packets.Add(buffer[..sender.EncodeFrame(speech.AsSpan(position, profile.SamplesPerFrame), buffer)]);
        }

        return packets;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
