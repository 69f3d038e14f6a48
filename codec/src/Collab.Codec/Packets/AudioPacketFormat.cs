using System.Buffers.Binary;

namespace Collab.Codec.Packets;

/// <summary>
/// Collab audio packet, version 1 or 2. Hand-laid, big-endian, 10 bytes of header:
/// <code>
///  byte 0     version (high 4 bits, 1 or 2) | redundant frame count R (bits 2–3, 0–2) | reserved (bit 1, 0) | voice activity (bit 0)
///  byte 1     profile id
///  bytes 2–3  sequence number (uint16, wraps)
///  bytes 4–7  media timestamp (uint32, 48 kHz clock, wraps)
///  byte 8     primary frame duration in ms
///  byte 9     audio level, -dBov 0–127
///  R blocks   oldest first: duration in ms (1 byte), length (uint16), then that many bytes of an earlier Opus frame
///  rest       the primary Opus frame (may be 1–2 bytes during DTX silence)
/// </code>
/// Redundant block k of R (counting from the newest, k = 1) carries the frame of sequence <c>Sequence - k</c>,
/// which ends where the next newer frame starts. Version 2 spreads the copies over time: the first byte of each block
/// is the sequence distance back from the primary (high 4 bits, 1–15, strictly decreasing oldest first) and the
/// duration in tens of ms (low 4 bits, 1–12), and the block's frame starts distance × duration before the primary (the
/// sender only spreads across frames of one duration). Writers use version 1 whenever the blocks are the contiguous
/// frames before the primary, so only spread packets need a version 2 reader. Readers reject other versions and any
/// field out of range with a reason; reserved bits are ignored so a later version can use them. The full description
/// is in codec/README.md.
/// </summary>
public static class AudioPacketFormat
{
    public const int Version = 1;

    /// <summary>The version whose redundant blocks name their sequence distance (copies spread over time).</summary>
    public const int SpreadVersion = 2;

    /// <summary>The farthest back a version 2 block may reach.</summary>
    public const int MaxRedundantDistance = 15;
    public const int HeaderBytes = 10;
    public const int RedundancyBlockHeaderBytes = 3;
    public const int MaxRedundantFrames = 2;

    /// <summary>Largest packet a reader accepts: header, two redundant frames and the primary at the Opus maximum.</summary>
    public const int MaxPacketBytes = HeaderBytes + ((MaxRedundantFrames + 1) * VoiceFormat.MaxEncodedFrameBytes) + (MaxRedundantFrames * RedundancyBlockHeaderBytes);

    /// <summary>Reads only the fixed header, as the hub does when it relays a packet.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out AudioPacketHeader header, out string? error)
    {
        header = default;
        if (packet.Length < HeaderBytes + 1)
        {
            error = $"An audio packet has at least {HeaderBytes + 1} bytes; got {packet.Length}.";
            return false;
        }

        if (packet.Length > MaxPacketBytes)
        {
            error = $"An audio packet has at most {MaxPacketBytes} bytes; got {packet.Length}.";
            return false;
        }

        var version = packet[0] >> 4;
        if (version is not (Version or SpreadVersion))
        {
            error = $"Audio packet version {version} is not supported (this reader knows versions {Version} and {SpreadVersion}).";
            return false;
        }

        var duration = packet[8];
        if (duration is < 10 or > 120 || duration % 10 != 0)
        {
            error = $"Frame duration {duration} ms is not a multiple of 10 ms between 10 and 120.";
            return false;
        }

        var level = packet[9];
        if (level > 127)
        {
            error = $"Audio level {level} is outside 0–127 (-dBov).";
            return false;
        }

        header = new AudioPacketHeader(
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            duration,
            level,
            (packet[0] & 0x1) != 0,
            packet[1]);
        error = null;
        return true;
    }

    /// <summary>Reads a whole packet: header, redundant frames and the primary frame.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out AudioPacketReader reader, out string? error)
    {
        reader = default;
        if (!TryReadHeader(packet, out var header, out error))
        {
            return false;
        }

        var redundantCount = (packet[0] >> 2) & 0x3;
        if (redundantCount > MaxRedundantFrames)
        {
            error = $"An audio packet carries at most {MaxRedundantFrames} redundant frames; it says {redundantCount}.";
            return false;
        }

        var spread = packet[0] >> 4 == SpreadVersion;
        var offset = HeaderBytes;
        Span<Range> blocks = stackalloc Range[MaxRedundantFrames];
        Span<byte> durations = stackalloc byte[MaxRedundantFrames];
        Span<byte> distances = stackalloc byte[MaxRedundantFrames];
        for (var i = 0; i < redundantCount; i++)
        {
            if (packet.Length < offset + RedundancyBlockHeaderBytes)
            {
                error = "The packet ends inside a redundant block header.";
                return false;
            }

            var first = packet[offset];
            durations[i] = spread ? (byte)((first & 0xF) * 10) : first;
            distances[i] = spread ? (byte)(first >> 4) : (byte)(redundantCount - i);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 1)..]);
            offset += RedundancyBlockHeaderBytes;
            if (durations[i] is < 10 or > 120 || durations[i] % 10 != 0 || length == 0 || length > VoiceFormat.MaxEncodedFrameBytes || packet.Length < offset + length)
            {
                error = $"Redundant block {i + 1} is malformed (duration {durations[i]} ms, length {length} B).";
                return false;
            }

            if (distances[i] == 0 || (i > 0 && distances[i] >= distances[i - 1]))
            {
                error = $"Redundant block {i + 1} has distance {distances[i]}; distances are 1–{MaxRedundantDistance}, strictly decreasing oldest first.";
                return false;
            }

            blocks[i] = new Range(offset, offset + length);
            offset += length;
        }

        if (offset >= packet.Length)
        {
            error = "The packet has no primary frame.";
            return false;
        }

        reader = new AudioPacketReader(header, packet, offset, redundantCount, spread, blocks, durations, distances);
        return true;
    }
}
