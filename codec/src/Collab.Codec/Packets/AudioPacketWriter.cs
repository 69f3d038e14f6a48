using System.Buffers.Binary;

namespace Collab.Codec.Packets;

/// <summary>
/// Writes one audio packet into a caller's buffer: <c>new AudioPacketWriter(buffer, header)</c>, then
/// <see cref="AddRedundant"/> for up to two earlier frames, oldest first, then <see cref="Complete"/> with the primary.
/// </summary>
public ref struct AudioPacketWriter
{
    private readonly Span<byte> _destination;
    private int _offset;
    private int _redundantCount;

    public AudioPacketWriter(Span<byte> destination, AudioPacketHeader header)
    {
        if (destination.Length < AudioPacketFormat.HeaderBytes + 1)
        {
            throw new ArgumentException("The buffer cannot hold an audio packet header.", nameof(destination));
        }

        if (header.DurationMilliseconds is < 10 or > 120 || header.DurationMilliseconds % 10 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(header), header.DurationMilliseconds, "Frame duration must be a multiple of 10 ms between 10 and 120.");
        }

        _destination = destination;
        destination[0] = (byte)((AudioPacketFormat.Version << 4) | (header.VoiceActivity ? 1 : 0));
        destination[1] = header.ProfileId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        destination[8] = header.DurationMilliseconds;
        destination[9] = Math.Min(header.Level, (byte)127);
        _offset = AudioPacketFormat.HeaderBytes;
        _redundantCount = 0;
    }

    /// <summary>Adds an earlier frame (oldest first). Call at most twice, before <see cref="Complete"/>.</summary>
    public void AddRedundant(ReadOnlySpan<byte> frame, int durationMilliseconds)
    {
        if (_redundantCount == AudioPacketFormat.MaxRedundantFrames)
        {
            throw new InvalidOperationException($"A packet carries at most {AudioPacketFormat.MaxRedundantFrames} redundant frames.");
        }

        if (frame.IsEmpty || frame.Length > VoiceFormat.MaxEncodedFrameBytes)
        {
            throw new ArgumentException($"A redundant frame has 1–{VoiceFormat.MaxEncodedFrameBytes} bytes; got {frame.Length}.", nameof(frame));
        }

        _destination[_offset] = (byte)durationMilliseconds;
        BinaryPrimitives.WriteUInt16BigEndian(_destination[(_offset + 1)..], (ushort)frame.Length);
        _offset += AudioPacketFormat.RedundancyBlockHeaderBytes;
        frame.CopyTo(_destination[_offset..]);
        _offset += frame.Length;
        _redundantCount++;
    }

    /// <summary>Writes the primary frame and returns the packet's length.</summary>
    public int Complete(ReadOnlySpan<byte> primary)
    {
        if (primary.IsEmpty)
        {
            throw new ArgumentException("The primary frame is empty.", nameof(primary));
        }

        primary.CopyTo(_destination[_offset..]);
        _destination[0] |= (byte)(_redundantCount << 2);
        return _offset + primary.Length;
    }
}
