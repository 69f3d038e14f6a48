using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Redis;

/// <summary>
/// The bytes of an audio bus message between hub nodes (<see cref="RedisAudioBus"/>), written and read in one place
/// so the format is pinned by tests (AudioBusProtocolTests): <c>version (1) · kind (1: audio, 2: reception,
/// 3: floor) · speaker id (length-prefixed UTF-8) · body</c>. Audio's body is the batch; a reception report's is
/// the listener id (length-prefixed UTF-8), five big-endian doubles (loss, mean loss burst ms, late, jitter ms,
/// concealed) and a big-endian int32 packet count; a floor change's is the <see cref="FloorView"/> as JSON with an
/// empty speaker id. Readers ignore trailing bytes and unknown kinds, so nodes of different versions can share a
/// meeting; a node of another version byte is not read.
/// </summary>
internal static class AudioBusProtocol
{
    public const byte Version = 1;
    public const byte AudioKind = 1;
    public const byte ReceptionKind = 2;
    public const byte FloorKind = 3;
    private const int ReceptionFiguresBytes = (5 * 8) + 4;

    public static byte[] WriteAudio(string speakerId, byte[] batch) =>
        Write(AudioKind, speakerId, batch.Length, body => batch.CopyTo(body));

    public static byte[] WriteReception(string speakerId, string listenerId, ReceptionReport report)
    {
        var listener = Encoding.UTF8.GetBytes(listenerId);
        return Write(ReceptionKind, speakerId, 1 + listener.Length + ReceptionFiguresBytes, body =>
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
        });
    }

    public static byte[] WriteFloor(FloorView floor)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(floor);
        return Write(FloorKind, string.Empty, json.Length, body => json.CopyTo(body));
    }

    /// <summary>
    /// Reads a message. False: unreadable (another version, truncated, bad JSON). True with a null message: a kind
    /// from a newer node, to be ignored.
    /// </summary>
    public static bool TryRead(byte[] message, out AudioBusMessage? read)
    {
        read = null;
        if (message.Length < 3 || message[0] != Version || message.Length < 3 + message[2])
        {
            return false;
        }

        try
        {
            var speakerId = Encoding.UTF8.GetString(message, 3, message[2]);
            var body = message.AsSpan(3 + message[2]);
            switch (message[1])
            {
                case AudioKind:
                    read = new AudioBusMessage.Audio(speakerId, body.ToArray());
                    return true;
                case ReceptionKind:
                    var listenerLength = body[0];
                    var listenerId = Encoding.UTF8.GetString(body.Slice(1, listenerLength));
                    var figures = body[(1 + listenerLength)..];
                    read = new AudioBusMessage.Reception(speakerId, listenerId, new ReceptionReport(
                        BinaryPrimitives.ReadDoubleBigEndian(figures),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[8..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[16..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[24..]),
                        BinaryPrimitives.ReadDoubleBigEndian(figures[32..]),
                        BinaryPrimitives.ReadInt32BigEndian(figures[40..])));
                    return true;
                case FloorKind:
                    // JSON "null" reads as nothing to deliver, as before.
                    read = JsonSerializer.Deserialize<FloorView>(body) is { } floor ? new AudioBusMessage.Floor(floor) : null;
                    return true;
                default:
                    return true;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static byte[] Write(byte kind, string speakerId, int bodyLength, SpanAction body)
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

    private delegate void SpanAction(Span<byte> body);
}

/// <summary>One audio bus message as read.</summary>
internal abstract record AudioBusMessage
{
    private AudioBusMessage()
    {
    }

    public sealed record Audio(string SpeakerId, byte[] Batch) : AudioBusMessage;

    public sealed record Reception(string SpeakerId, string ListenerId, ReceptionReport Report) : AudioBusMessage;

    public sealed record Floor(FloorView View) : AudioBusMessage;
}
