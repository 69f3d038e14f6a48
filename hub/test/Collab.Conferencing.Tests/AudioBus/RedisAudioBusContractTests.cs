using Collab.Conferencing.Audio;
using Collab.Conferencing.Redis;
using Collab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Collab.Conferencing.Tests.AudioBus;

/// <summary>
/// The contract on the Redis bus between two nodes (two connections to a real redis-server), and what only a bus
/// between nodes has: a node hears a meeting's audio only while subscribed to it, and its control messages apart.
/// </summary>
public sealed class RedisAudioBusContractTests(RedisServer redis) : AudioBusContractTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private ConnectionMultiplexer? _publisherNode;
    private ConnectionMultiplexer? _receiverNode;

    protected override async Task<(IAudioBus Publisher, IAudioBus Receiver)> CreateAsync()
    {
        redis.SkipIfUnavailable();
        _publisherNode = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _receiverNode = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        return (new RedisAudioBus(_publisherNode, NullLogger<RedisAudioBus>.Instance), new RedisAudioBus(_receiverNode, NullLogger<RedisAudioBus>.Instance));
    }

    protected override async ValueTask DisposeBusesAsync()
    {
        if (_publisherNode is not null)
        {
            await _publisherNode.DisposeAsync();
        }

        if (_receiverNode is not null)
        {
            await _receiverNode.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_that_dropped_a_meetings_audio_hears_its_control_messages_but_not_its_audio()
    {
        await Receiver.UnsubscribeAudioAsync(Meeting, TestContext.Current.CancellationToken);
        await Receiver.SubscribeAudioAsync(OtherMeeting, TestContext.Current.CancellationToken);

        await Publisher.PublishAudioAsync(Meeting, "speaker-1", [1, 0, 1, 1], TestContext.Current.CancellationToken);
        await Publisher.PublishFloorAsync(Meeting, new FloorView(FloorMode.OpenMic, 3, [], [], []), TestContext.Current.CancellationToken);
        // The other meeting's audio, published after, is the marker: once it is here, the first batch would be too.
        await Publisher.PublishAudioAsync(OtherMeeting, "speaker-2", [1, 0, 1, 2], TestContext.Current.CancellationToken);

        var marker = await Received.Audio.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        var floor = await Received.Floors.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal((OtherMeeting, "speaker-2"), (marker.MeetingId, marker.SpeakerId));
        Assert.Equal(Meeting, floor.MeetingId);
        Assert.False(Received.Audio.TryRead(out var unexpected), $"Audio of {unexpected.MeetingId} reached a node not subscribed to it.");
    }

    [Fact]
    public async Task An_unreadable_message_from_another_version_is_skipped_and_the_next_one_delivered()
    {
        var subscriber = _publisherNode!.GetSubscriber();
        await subscriber.PublishAsync(RedisChannel.Literal(RedisKeys.AudioChannel(Meeting)), new byte[] { 2, 1, 2, 0x73, 0x31, 9 });
        await Publisher.PublishAudioAsync(Meeting, "s1", [1, 0, 1, 7], TestContext.Current.CancellationToken);

        var audio = await Received.Audio.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal([1, 0, 1, 7], audio.Batch);
        Assert.False(Received.Audio.TryRead(out _));
    }
}
