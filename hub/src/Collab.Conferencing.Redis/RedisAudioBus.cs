using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// The audio bus over Redis pub/sub, two channels per meeting: audio (subscribed while a member here receives audio)
/// and control (reception reports and floor changes, subscribed while this node serves a member). Each message is
/// versioned and readers ignore trailing bytes, so nodes of different versions can share a meeting:
/// <c>version (1) · kind (1: audio, 2: reception, 3: floor) · speaker id (length-prefixed UTF-8) · body</c>.
/// Audio and reports are fire-and-forget (audio is loss-tolerant by design); floor changes are awaited.
/// </summary>
public sealed partial class RedisAudioBus(IConnectionMultiplexer redis, ILogger<RedisAudioBus> logger) : IAudioBus
{
    private const byte Version = 1;
    private const byte AudioKind = 1;
    private const byte ReceptionKind = 2;
    private const byte FloorKind = 3;
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
        PublishAsync(AudioChannel(meetingId), Encode(AudioKind, speakerId, batch.Length, body => batch.CopyTo(body)), CommandFlags.FireAndForget);

    public Task PublishReceptionAsync(string meetingId, string speakerId, string listenerId, ReceptionReport report, CancellationToken cancellationToken = default)
    {
        var listener = Encoding.UTF8.GetBytes(listenerId);
        return PublishAsync(ControlChannel(meetingId), Encode(ReceptionKind, speakerId, 1 + listener.Length + (5 * 8) + 4, body =>
        {
            body[0] = (byte)listener.Length;
            listener.CopyTo(body[1..]);
            var figures = body[(1 + listener.Length)..];
            BinaryPrimitives.WriteDoubleBigEndian(figures, report.LossFraction);
            BinaryPrimitives.WriteDoubleBigEndian(figures[8..], report.MeanLossBurstMilliseconds);
            BinaryPrimitives.WriteDoubleBigEndian(figures[16..], report.LateFraction);
            BinaryPrimitives.WriteDoubleBigEndian(figures[24..], report.JitterMilliseconds);
            BinaryPrimitives.WriteDoubleBigEndian(figures[32..], report.ConcealedFraction);
            BinaryPrimitives.WriteInt32BigEndian(figures[40..], report.PacketCount);
        }), CommandFlags.FireAndForget);
    }

    public Task PublishFloorAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(floor);
        return PublishAsync(ControlChannel(meetingId), Encode(FloorKind, string.Empty, json.Length, body => json.CopyTo(body)), CommandFlags.None);
    }

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

    private static byte[] Encode(byte kind, string speakerId, int bodyLength, SpanAction body)
    {
        var speaker = Encoding.UTF8.GetBytes(speakerId);
        var message = new byte[3 + speaker.Length + bodyLength];
        message[0] = Version;
        message[1] = kind;
        message[2] = (byte)speaker.Length;
        speaker.CopyTo(message, 3);
        body(message.AsSpan(3 + speaker.Length));
        return message;
    }

    private void Dispatch(string meetingId, RedisValue value)
    {
        if (_handler is not { } handler)
        {
            return;
        }

        byte[] message = value!;
        try
        {
            if (message.Length < 3 || message[0] != Version || message.Length < 3 + message[2])
            {
                UnreadableMessage(logger, meetingId, message.Length > 0 ? message[0] : (byte)0);
                return;
            }

            var speakerId = Encoding.UTF8.GetString(message, 3, message[2]);
            var body = message.AsSpan(3 + message[2]);
            switch (message[1])
            {
                case AudioKind:
                    handler.OnAudio(meetingId, speakerId, body.ToArray());
                    break;
                case ReceptionKind:
                    var listenerLength = body[0];
                    var listenerId = Encoding.UTF8.GetString(body.Slice(1, listenerLength));
                    var figures = body[(1 + listenerLength)..];
                    handler.OnReception(meetingId, speakerId, listenerId, new ReceptionReport(
                        BinaryPrimitives.ReadDoubleBigEndian(figures),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[8..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[16..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[24..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[32..]),
                        BinaryPrimitives.ReadInt32BigEndian(figures[40..])));
                    break;
                case FloorKind:
                    if (JsonSerializer.Deserialize<FloorView>(body) is { } floor)
                    {
                        handler.OnFloor(meetingId, floor);
                    }

                    break;
                default:
                    // A kind from a newer node: ignore it.
                    break;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or IndexOutOfRangeException)
        {
            UnreadableMessage(logger, meetingId, message[0]);
        }
    }

    private delegate void SpanAction(Span<byte> body);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Unreadable audio bus message for meeting {MeetingId} (version byte {Version})")]
    private static partial void UnreadableMessage(ILogger logger, string meetingId, byte version);
}
