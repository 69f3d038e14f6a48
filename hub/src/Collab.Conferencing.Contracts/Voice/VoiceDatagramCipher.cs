using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Collab.Conferencing.Voice;

/// <summary>
/// Seals and opens the voice datagrams of one session with its 16-byte key (AES-128-GCM, <see cref="VoiceDatagram"/>).
/// Not thread-safe: give each thread that seals or opens its own instance, or hold a lock around the calls.
/// </summary>
public sealed class VoiceDatagramCipher : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _sessionId;

    public VoiceDatagramCipher(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> key)
    {
        if (sessionId.Length != VoiceDatagram.SessionIdBytes)
        {
            throw new ArgumentException($"A voice session id is {VoiceDatagram.SessionIdBytes} bytes, not {sessionId.Length}.", nameof(sessionId));
        }

        if (key.Length != VoiceDatagram.KeyBytes)
        {
            throw new ArgumentException($"A voice session key is {VoiceDatagram.KeyBytes} bytes, not {key.Length}.", nameof(key));
        }

        _sessionId = sessionId.ToArray();
        SessionId = BinaryPrimitives.ReadUInt64BigEndian(_sessionId);
        _aes = new AesGcm(key, VoiceDatagram.TagBytes);
    }

    public ulong SessionId { get; }

    /// <summary>Writes the datagram of <paramref name="payload"/> into <paramref name="destination"/> and returns its length.</summary>
    public int Seal(ulong counter, VoiceDatagramDirection direction, VoiceDatagramType type, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (payload.Length > VoiceDatagram.MaxPayloadBytes)
        {
            throw new ArgumentException($"A voice datagram carries at most {VoiceDatagram.MaxPayloadBytes} bytes of payload, not {payload.Length}.", nameof(payload));
        }

        var length = VoiceDatagram.Overhead + payload.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The datagram needs {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        destination[0] = (byte)((VoiceDatagram.Version << 4) | (int)type);
        _sessionId.CopyTo(destination[1..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], counter);
        Span<byte> nonce = stackalloc byte[VoiceDatagram.NonceBytes];
        WriteNonce(nonce, direction, counter);
        _aes.Encrypt(
            nonce,
            payload,
            destination.Slice(VoiceDatagram.HeaderBytes, payload.Length),
            destination.Slice(VoiceDatagram.HeaderBytes + payload.Length, VoiceDatagram.TagBytes),
            destination[..VoiceDatagram.HeaderBytes]);
        return length;
    }

    /// <summary>
    /// Checks the datagram's tag (sealed by <paramref name="direction"/> for this session) and writes its payload;
    /// false for a datagram that is malformed, of another session, tampered with or sealed the other way. Replays are
    /// the caller's to refuse (<see cref="VoiceReplayWindow"/>), after this check.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, VoiceDatagramDirection direction, Span<byte> payload, out VoiceDatagramHeader header, out int written)
    {
        written = 0;
        if (!VoiceDatagram.TryReadHeader(datagram, out header) || header.SessionId != SessionId)
        {
            return false;
        }

        var length = datagram.Length - VoiceDatagram.Overhead;
        if (payload.Length < length)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[VoiceDatagram.NonceBytes];
        WriteNonce(nonce, direction, header.Counter);
        try
        {
            _aes.Decrypt(
                nonce,
                datagram.Slice(VoiceDatagram.HeaderBytes, length),
                datagram.Slice(VoiceDatagram.HeaderBytes + length, VoiceDatagram.TagBytes),
                payload[..length],
                datagram[..VoiceDatagram.HeaderBytes]);
        }
        catch (AuthenticationTagMismatchException)
        {
            payload[..length].Clear();
            return false;
        }

        written = length;
        return true;
    }

    public void Dispose() => _aes.Dispose();

    private static void WriteNonce(Span<byte> nonce, VoiceDatagramDirection direction, ulong counter)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, (uint)direction);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
