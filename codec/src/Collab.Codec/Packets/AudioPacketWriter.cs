using System.Buffers.Binary;

namespace Collab.Codec.Packets;

/// <summary>
/// Writes one audio packet into a caller's buffer: <c>new AudioPacketWriter(buffer, header)</c>, then
/// <see cref="AddRedundant(ReadOnlySpan{byte}, int, int)"/> for up to two earlier frames, oldest first, then
/// <see cref="Complete"/> with the primary. The packet is version 1 when the blocks are the contiguous frames just
/// before the primary, version 2 (spread copies) otherwise.
/// </summary>
public ref struct AudioPacketWriter
{
    private readonly Span<byte> _destination;
    private int _offset;
    private int _redundantCount;
    private int _firstBlockOffset;
    private int _secondBlockOffset;
    private int _firstDistance;
    private int _secondDistance;
    private int _firstDuration;
    private int _secondDuration;

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
        _firstBlockOffset = _secondBlockOffset = 0;
        _firstDistance = _secondDistance = 0;
        _firstDuration = _secondDuration = 0;
    }

    /// <summary>Adds one of the contiguous frames just before the primary (oldest first). Call at most twice, before <see cref="Complete"/>.</summary>
    public void AddRedundant(ReadOnlySpan<byte> frame, int durationMilliseconds) => AddRedundant(frame, durationMilliseconds, 0);

    /// <summary>
    /// Adds the frame <paramref name="distance"/> sequence numbers before the primary (oldest first, 1–15; 0 means the
    /// next of the contiguous frames before it). A spread copy must be of frames of one duration, back to the primary.
    /// </summary>
    public void AddRedundant(ReadOnlySpan<byte> frame, int durationMilliseconds, int distance)
    {
        if (distance is < 0 or > AudioPacketFormat.MaxRedundantDistance)
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"A redundant frame is 1–{AudioPacketFormat.MaxRedundantDistance} packets back.");
        }

        if (_redundantCount == AudioPacketFormat.MaxRedundantFrames)
        {
            throw new InvalidOperationException($"A packet carries at most {AudioPacketFormat.MaxRedundantFrames} redundant frames.");
        }

        if (frame.IsEmpty || frame.Length > VoiceFormat.MaxEncodedFrameBytes)
        {
            throw new ArgumentException($"A redundant frame has 1–{VoiceFormat.MaxEncodedFrameBytes} bytes; got {frame.Length}.", nameof(frame));
        }

        if (durationMilliseconds is < 10 or > 120 || durationMilliseconds % 10 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationMilliseconds), durationMilliseconds, "A redundant frame lasts a multiple of 10 ms between 10 and 120.");
        }

        if (_redundantCount == 0)
        {
            (_firstBlockOffset, _firstDistance, _firstDuration) = (_offset, distance, durationMilliseconds);
        }
        else
        {
            (_secondBlockOffset, _secondDistance, _secondDuration) = (_offset, distance, durationMilliseconds);
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
        if (IsSpread())
        {
            // Version 2: each block names its distance and duration (in tens of ms) in its first byte.
            if ((_redundantCount == 2 && (_firstDistance <= _secondDistance || _secondDistance == 0)) || _firstDistance == 0)
            {
                throw new InvalidOperationException("Spread redundant frames name their distances, strictly decreasing oldest first.");
            }

            _destination[0] = (byte)((AudioPacketFormat.SpreadVersion << 4) | (_destination[0] & 0x0F));
            _destination[_firstBlockOffset] = (byte)((_firstDistance << 4) | (_firstDuration / 10));
            if (_redundantCount == 2)
            {
                _destination[_secondBlockOffset] = (byte)((_secondDistance << 4) | (_secondDuration / 10));
            }
        }

        return _offset + primary.Length;
    }

    /// <summary>Whether the blocks are anything but the contiguous frames just before the primary.</summary>
    private readonly bool IsSpread() => _redundantCount switch
    {
        1 => _firstDistance > 1,
        2 => _firstDistance is not (0 or 2) || _secondDistance is not (0 or 1),
        _ => false,
    };
}
