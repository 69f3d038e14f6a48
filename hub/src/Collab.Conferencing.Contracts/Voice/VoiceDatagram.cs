using System.Buffers.Binary;
using System.Text;

namespace Collab.Conferencing.Voice;

/// <summary>What a voice datagram carries (the low 4 bits of its first byte).</summary>
public enum VoiceDatagramType : byte
{
    /// <summary>Client to hub: an <c>AudioBatch</c> as <c>PublishAudio</c> takes it; hub to client: speaker id, then the batch.</summary>
    Audio = 1,

    /// <summary>Client to hub: 8 bytes of the client's clock (opaque to the hub).</summary>
    Ping = 2,

    /// <summary>Hub to client: the ping's 8 bytes back.</summary>
    Pong = 3,
}

/// <summary>Who sealed a datagram: the first 4 bytes of its nonce, so the two directions of a session never share a nonce.</summary>
public enum VoiceDatagramDirection : uint
{
    ClientToHub = 1,
    HubToClient = 2,
}

/// <summary>The clear header of a voice datagram (bytes 0..16, authenticated as associated data).</summary>
public readonly record struct VoiceDatagramHeader(int Version, VoiceDatagramType Type, ulong SessionId, ulong Counter);

/// <summary>
/// The voice datagram (hub/PROTOCOL.md, "Voice datagrams"), all integers big-endian: 1 byte <c>(version &lt;&lt; 4) | type</c>,
/// 8 bytes session id, 8 bytes counter (per session and direction, from 1), then the AES-128-GCM ciphertext of the
/// payload and its 16-byte tag. The nonce is the 4-byte <see cref="VoiceDatagramDirection"/> and the counter; the
/// associated data is the header. The same bytes travel between a .NET client and the hub's UDP endpoint, and between
/// the media edge and that endpoint for a browser (codec/test/vectors/voice-datagram.json pins them).
/// </summary>
public static class VoiceDatagram
{
    public const int Version = 1;

    public const int SessionIdBytes = 8;

    public const int KeyBytes = 16;

    public const int HeaderBytes = 17;

    public const int TagBytes = 16;

    public const int NonceBytes = 12;

    /// <summary>Header and tag: what a datagram adds to its payload.</summary>
    public const int Overhead = HeaderBytes + TagBytes;

    /// <summary>The largest datagram either side sends or accepts (under every path MTU worth having); bigger is dropped.</summary>
    public const int MaxBytes = 1200;

    public const int MaxPayloadBytes = MaxBytes - Overhead;

    /// <summary>Bytes of a ping's (and a pong's) payload.</summary>
    public const int PingPayloadBytes = 8;

    /// <summary>
    /// Reads the clear header; false when the datagram is shorter than header and tag, longer than
    /// <see cref="MaxBytes"/>, or of another version or an unknown type. Nothing in it is trusted before
    /// <see cref="VoiceDatagramCipher.TryOpen"/> checks the tag.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out VoiceDatagramHeader header)
    {
        header = default;
        if (datagram.Length < Overhead || datagram.Length > MaxBytes)
        {
            return false;
        }

        var version = datagram[0] >> 4;
        var type = (VoiceDatagramType)(datagram[0] & 0x0F);
        if (version != Version || type is not (VoiceDatagramType.Audio or VoiceDatagramType.Ping or VoiceDatagramType.Pong))
        {
            return false;
        }

        header = new VoiceDatagramHeader(version, type, BinaryPrimitives.ReadUInt64BigEndian(datagram[1..]), BinaryPrimitives.ReadUInt64BigEndian(datagram[9..]));
        return true;
    }

    /// <summary>The session id as the datagram header carries it (8 bytes, big-endian).</summary>
    public static ulong ReadSessionId(ReadOnlySpan<byte> sessionId) =>
        sessionId.Length == SessionIdBytes
            ? BinaryPrimitives.ReadUInt64BigEndian(sessionId)
            : throw new ArgumentException($"A voice session id is {SessionIdBytes} bytes, not {sessionId.Length}.", nameof(sessionId));

    /// <summary>
    /// The payload of hub-to-client audio: 1 byte speaker id length n, n bytes UTF-8 speaker id, then the batch (what
    /// <c>AudioReceived(speakerId, batch)</c> carries). Returns the bytes written; false when it does not fit.
    /// </summary>
    public static bool TryWriteListenerAudio(string speakerId, ReadOnlySpan<byte> batch, Span<byte> destination, out int written)
    {
        written = 0;
        var idBytes = Encoding.UTF8.GetByteCount(speakerId);
        if (idBytes > byte.MaxValue || 1 + idBytes + batch.Length > destination.Length)
        {
            return false;
        }

        destination[0] = (byte)idBytes;
        Encoding.UTF8.GetBytes(speakerId, destination[1..]);
        batch.CopyTo(destination[(1 + idBytes)..]);
        written = 1 + idBytes + batch.Length;
        return true;
    }

    /// <summary>Reads hub-to-client audio (see <see cref="TryWriteListenerAudio"/>); false when the speaker id runs past the payload or no batch follows.</summary>
    public static bool TryReadListenerAudio(ReadOnlySpan<byte> payload, out string speakerId, out ReadOnlySpan<byte> batch)
    {
        speakerId = string.Empty;
        batch = default;
        if (payload.Length < 1 || 1 + payload[0] >= payload.Length)
        {
            return false;
        }

        speakerId = Encoding.UTF8.GetString(payload.Slice(1, payload[0]));
        batch = payload[(1 + payload[0])..];
        return true;
    }
}
