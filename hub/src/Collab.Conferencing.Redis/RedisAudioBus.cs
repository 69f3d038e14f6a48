using System.Collections.Concurrent;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// The audio bus over Redis pub/sub, two channels per meeting: audio (subscribed while a member here receives audio)
/// and control (reception reports and floor changes, subscribed while this node serves a member). Each message is
/// versioned and readers ignore trailing bytes, so nodes of different versions can share a meeting (the bytes:
/// <see cref="AudioBusProtocol"/>).
/// Audio and reports are fire-and-forget (audio is loss-tolerant by design); floor changes are awaited.
/// </summary>
public sealed partial class RedisAudioBus(IConnectionMultiplexer redis, ILogger<RedisAudioBus> logger) : IAudioBus
{
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _control = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _audio = new(StringComparer.Ordinal);
    private IAudioBusHandler? _handler;

    public void Attach(IAudioBusHandler handler) => _handler = handler;

    public Task SubscribeAsync(string meetingId, CancellationToken cancellationToken = default) =>
        SubscribeAsync(_control, meetingId, ControlChannel(meetingId));

    public Task UnsubscribeAsync(string meetingId, CancellationToken cancellationToken = default) =>
        UnsubscribeAsync(_control, meetingId);

    public Task SubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default) =>
        SubscribeAsync(_audio, meetingId, AudioChannel(meetingId));

    public Task UnsubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default) =>
        UnsubscribeAsync(_audio, meetingId);

    public Task PublishAudioAsync(string meetingId, string speakerId, byte[] batch, CancellationToken cancellationToken = default) =>
        PublishAsync(AudioChannel(meetingId), AudioBusProtocol.WriteAudio(speakerId, batch), CommandFlags.FireAndForget);

    public Task PublishReceptionAsync(string meetingId, string speakerId, string listenerId, ReceptionReport report, CancellationToken cancellationToken = default) =>
        PublishAsync(ControlChannel(meetingId), AudioBusProtocol.WriteReception(speakerId, listenerId, report), CommandFlags.FireAndForget);

    public Task PublishFloorAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default) =>
        PublishAsync(ControlChannel(meetingId), AudioBusProtocol.WriteFloor(floor), CommandFlags.None);

    private Task PublishAsync(RedisChannel channel, byte[] message, CommandFlags flags) =>
        RedisCall.RunAsync(logger, "audio publish", () => redis.GetSubscriber().PublishAsync(channel, message, flags));

    private Task SubscribeAsync(ConcurrentDictionary<string, ChannelMessageQueue> subscriptions, string meetingId, RedisChannel channel) =>
        RedisCall.RunAsync(logger, "audio subscribe", async () =>
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(channel);
            if (!subscriptions.TryAdd(meetingId, queue))
            {
                await queue.UnsubscribeAsync();
                return;
            }

            // A message queue delivers in order, one at a time: a speaker's batches reach listeners in sequence.
            // Either channel may carry any kind (a node of an older version sent everything on the audio channel).
            queue.OnMessage(message => Dispatch(meetingId, message.Message));
        });

    private async Task UnsubscribeAsync(ConcurrentDictionary<string, ChannelMessageQueue> subscriptions, string meetingId)
    {
        if (subscriptions.TryRemove(meetingId, out var queue))
        {
            await RedisCall.RunAsync(logger, "audio unsubscribe", () => queue.UnsubscribeAsync());
        }
    }

    private static RedisChannel AudioChannel(string meetingId) => RedisChannel.Literal(RedisKeys.AudioChannel(meetingId));

    private static RedisChannel ControlChannel(string meetingId) => RedisChannel.Literal(RedisKeys.AudioControlChannel(meetingId));

    private void Dispatch(string meetingId, RedisValue value)
    {
        if (_handler is not { } handler)
        {
            return;
        }

        byte[] message = value!;
        if (!AudioBusProtocol.TryRead(message, out var read))
        {
            UnreadableMessage(logger, meetingId, message.Length > 0 ? message[0] : (byte)0);
            return;
        }

        switch (read)
        {
            case AudioBusMessage.Audio audio:
                handler.OnAudio(meetingId, audio.SpeakerId, audio.Batch);
                break;
            case AudioBusMessage.Reception reception:
                handler.OnReception(meetingId, reception.SpeakerId, reception.ListenerId, reception.Report);
                break;
            case AudioBusMessage.Floor floor:
                handler.OnFloor(meetingId, floor.View);
                break;
            default:
                // A kind from a newer node: ignore it.
                break;
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Unreadable audio bus message for meeting {MeetingId} (version byte {Version})")]
    private static partial void UnreadableMessage(ILogger logger, string meetingId, byte version);
}
