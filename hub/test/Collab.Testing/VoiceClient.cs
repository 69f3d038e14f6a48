using Collab.Codec.Packets;
using Collab.Conferencing.Client;
using Xunit;

namespace Collab.Testing;

/// <summary>
/// A meeting client's voice channel (<see cref="VoiceDatagramChannel"/>) that records every batch it hears with the path
/// it came by, and every path change. Tests wait on conditions over what it recorded, never on sleeps.
/// </summary>
public sealed class VoiceClient : IAsyncDisposable
{
    /// <summary>Liveness in <see cref="Fast"/> and <see cref="FastHubSettings"/>: long enough for pings a loaded machine delays, short enough for a test.</summary>
    public const int FastLivenessMilliseconds = 1_000;

    public const int FastOverlapMilliseconds = 500;

    public const int FastPingMilliseconds = 100;

    /// <summary>Short liveness and overlap, so a test sees a switch within a second; the hub gets the same with <see cref="FastHubSettings"/>.</summary>
    public static readonly VoiceDatagramChannelOptions Fast = new()
    {
        PingInterval = TimeSpan.FromMilliseconds(FastPingMilliseconds),
        Liveness = TimeSpan.FromMilliseconds(FastLivenessMilliseconds),
        Overlap = TimeSpan.FromMilliseconds(FastOverlapMilliseconds),
    };

    public static readonly (string Key, string Value)[] FastHubSettings =
    [
        ("Collab:Voice:Datagrams:LivenessMilliseconds", FastLivenessMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Collab:Voice:Datagrams:OverlapMilliseconds", FastOverlapMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private readonly object _gate = new();
    private readonly List<VoiceAudio> _received = [];
    private readonly List<string> _paths = [];
    private readonly List<(Func<VoiceClient, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    private VoiceClient(VoiceDatagramChannel channel)
    {
        Channel = channel;
        channel.AudioReceived += audio => Record(() => _received.Add(audio));
        channel.VoicePathChanged += path => Record(() => _paths.Add(path));
    }

    public VoiceDatagramChannel Channel { get; }

    /// <summary>Every batch heard, in arrival order, by either path (duplicates included).</summary>
    public IReadOnlyList<VoiceAudio> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The paths the channel switched to, in order.</summary>
    public IReadOnlyList<string> PathChanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _paths];
            }
        }
    }

    public static async Task<VoiceClient> OpenAsync(MeetingClient client, Uri server, VoiceDatagramChannelOptions? options = null)
    {
        var channel = await VoiceDatagramChannel.OpenAsync(client.Connection, server, options ?? Fast, TestContext.Current.CancellationToken)
            .WaitAsync(MeetingClient.DefaultTimeout, TestContext.Current.CancellationToken);
        var voice = new VoiceClient(channel);
        voice.Record(() => { });
        return voice;
    }

    /// <summary>The first packet's sequence number of each batch heard by <paramref name="path"/> (null: either path).</summary>
    public IReadOnlyList<int> Sequences(string? path = null) =>
        [.. Received.Where(audio => path is null || audio.Path == path).Select(audio => NumberedBatches.SequenceOf(audio.Batch))];

    public Task WaitForPathAsync(string path) => WaitForAsync(voice => voice.Channel.VoicePath == path, $"the voice path to become {path}");

    public async Task WaitForAsync(Func<VoiceClient, bool> condition, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout ?? MeetingClient.DefaultTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    public ValueTask DisposeAsync() => Channel.DisposeAsync();

    private void Record(Action change)
    {
        List<TaskCompletionSource> completed = [];
        lock (_gate)
        {
            change();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    completed.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        completed.ForEach(done => done.TrySetResult());
    }
}

/// <summary>Small well-formed audio batches, one 20 ms packet each, numbered by their packet's sequence, for tests that count what arrived.</summary>
public static class NumberedBatches
{
    public static byte[] Create(int sequence)
    {
        var packet = new byte[AudioPacketFormat.MaxPacketBytes];
        var writer = new AudioPacketWriter(packet, new AudioPacketHeader((ushort)sequence, (uint)(sequence * 960), 20, 30, true, 1));
        byte[] frame = [0xF8, (byte)sequence, (byte)(sequence >> 8)];
        var length = writer.Complete(frame);
        return AudioBatch.Pack([packet[..length]]);
    }

    public static int SequenceOf(byte[] batch)
    {
        foreach (var packet in AudioBatch.Packets(batch))
        {
            return AudioPacketFormat.TryReadHeader(packet, out var header, out _) ? header.Sequence : -1;
        }

        return -1;
    }
}
