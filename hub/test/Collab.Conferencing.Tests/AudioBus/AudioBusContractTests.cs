using System.Threading.Channels;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests.AudioBus;

/// <summary>
/// What every <see cref="IAudioBus"/> promises, written once and run on the single-node bus and on the Redis bus
/// (two nodes, each with its own connection, on a real redis-server): what one node publishes reaches a node
/// subscribed to the meeting, intact, in order, and tagged with the meeting it was published to.
/// </summary>
public abstract class AudioBusContractTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly RecordingHandler _received = new();
    private readonly string _meeting = "m" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _otherMeeting = "m" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The bus a node publishes on.</summary>
    protected IAudioBus Publisher { get; private set; } = null!;

    /// <summary>The bus of the node whose handler the tests watch (the publisher itself on a single node).</summary>
    protected IAudioBus Receiver { get; private set; } = null!;

    protected string Meeting => _meeting;

    protected string OtherMeeting => _otherMeeting;

    private protected RecordingHandler Received => _received;

    /// <summary>Two nodes' buses on one backplane (or the one node's bus twice).</summary>
    protected abstract Task<(IAudioBus Publisher, IAudioBus Receiver)> CreateAsync();

    protected virtual ValueTask DisposeBusesAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        (Publisher, Receiver) = await CreateAsync();
        Receiver.Attach(_received);
        await Receiver.SubscribeAsync(_meeting, TestContext.Current.CancellationToken);
        await Receiver.SubscribeAudioAsync(_meeting, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return DisposeBusesAsync();
    }

    [Fact]
    public async Task Audio_reaches_a_subscribed_node_byte_for_byte_with_its_meeting_and_speaker()
    {
        byte[] batch = [1, 0, 3, 0x11, 7, 0xFF];

        await Publisher.PublishAudioAsync(_meeting, "speaker-1", batch, TestContext.Current.CancellationToken);

        var audio = await _received.Audio.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal((_meeting, "speaker-1"), (audio.MeetingId, audio.SpeakerId));
        Assert.Equal(batch, audio.Batch);
    }

    [Fact]
    public async Task A_speakers_batches_arrive_in_the_order_they_were_published()
    {
        for (byte i = 0; i < 50; i++)
        {
            await Publisher.PublishAudioAsync(_meeting, "speaker-1", [1, 0, 1, i], TestContext.Current.CancellationToken);
        }

        for (byte i = 0; i < 50; i++)
        {
            var audio = await _received.Audio.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
            Assert.Equal(i, audio.Batch[^1]);
        }
    }

    [Fact]
    public async Task A_reception_report_arrives_with_its_figures_unchanged()
    {
        var report = new ReceptionReport(0.04, 60, 0.01, 18.5, 0.02, 25);

        await Publisher.PublishReceptionAsync(_meeting, "speaker-1", "listener-2", report, TestContext.Current.CancellationToken);

        var reception = await _received.Receptions.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal((_meeting, "speaker-1", "listener-2", report), reception);
    }

    [Fact]
    public async Task A_floor_change_arrives_whole()
    {
        var floor = new FloorView(FloorMode.Moderated, 2, ["speaker-1"], ["hand-raiser"], ["muted-one"]);

        await Publisher.PublishFloorAsync(_meeting, floor, TestContext.Current.CancellationToken);

        var (meetingId, read) = await _received.Floors.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal(_meeting, meetingId);
        AssertSameFloor(floor, read);
    }

    [Fact]
    public async Task Messages_of_two_meetings_stay_tagged_with_their_own_meeting()
    {
        await Receiver.SubscribeAsync(_otherMeeting, TestContext.Current.CancellationToken);
        await Receiver.SubscribeAudioAsync(_otherMeeting, TestContext.Current.CancellationToken);

        await Publisher.PublishAudioAsync(_otherMeeting, "speaker-other", [1, 0, 1, 2], TestContext.Current.CancellationToken);
        await Publisher.PublishAudioAsync(_meeting, "speaker-1", [1, 0, 1, 1], TestContext.Current.CancellationToken);

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var audio = await _received.Audio.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
            seen.Add(audio.MeetingId, audio.SpeakerId);
        }

        Assert.Equal("speaker-1", seen[_meeting]);
        Assert.Equal("speaker-other", seen[_otherMeeting]);
    }

    internal static void AssertSameFloor(FloorView expected, FloorView actual)
    {
        Assert.Equal((expected.Mode, expected.MaxSpeakers), (actual.Mode, actual.MaxSpeakers));
        Assert.Equal(expected.Speakers, actual.Speakers);
        Assert.Equal(expected.Requests, actual.Requests);
        Assert.Equal(expected.Muted, actual.Muted);
    }

    /// <summary>Records what a node's handler is given, one channel per kind.</summary>
    private protected sealed class RecordingHandler : IAudioBusHandler
    {
        private readonly Channel<(string MeetingId, string SpeakerId, byte[] Batch)> _audio = Channel.CreateUnbounded<(string, string, byte[])>();
        private readonly Channel<(string MeetingId, string SpeakerId, string ListenerId, ReceptionReport Report)> _receptions = Channel.CreateUnbounded<(string, string, string, ReceptionReport)>();
        private readonly Channel<(string MeetingId, FloorView Floor)> _floors = Channel.CreateUnbounded<(string, FloorView)>();

        public ChannelReader<(string MeetingId, string SpeakerId, byte[] Batch)> Audio => _audio.Reader;

        public ChannelReader<(string MeetingId, string SpeakerId, string ListenerId, ReceptionReport Report)> Receptions => _receptions.Reader;

        public ChannelReader<(string MeetingId, FloorView Floor)> Floors => _floors.Reader;

        public void OnAudio(string meetingId, string speakerId, byte[] batch) => _audio.Writer.TryWrite((meetingId, speakerId, batch));

        public void OnReception(string meetingId, string speakerId, string listenerId, ReceptionReport report) => _receptions.Writer.TryWrite((meetingId, speakerId, listenerId, report));

        public void OnFloor(string meetingId, FloorView floor) => _floors.Writer.TryWrite((meetingId, floor));
    }
}

/// <summary>The contract on the single-node bus: delivery is a direct call to the node's own handler.</summary>
public sealed class LocalAudioBusContractTests : AudioBusContractTests
{
    protected override Task<(IAudioBus Publisher, IAudioBus Receiver)> CreateAsync()
    {
        var bus = new LocalAudioBus();
        return Task.FromResult<(IAudioBus, IAudioBus)>((bus, bus));
    }
}
