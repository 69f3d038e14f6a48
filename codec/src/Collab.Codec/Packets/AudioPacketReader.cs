namespace Collab.Codec.Packets;

/// <summary>A parsed view over one audio packet's bytes; nothing is copied.</summary>
public readonly ref struct AudioPacketReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _primaryOffset;
    private readonly Range _newestBlock;
    private readonly Range _olderBlock;
    private readonly byte _newestDuration;
    private readonly byte _olderDuration;
    private readonly byte _newestDistance;
    private readonly byte _olderDistance;
    private readonly bool _spread;

    internal AudioPacketReader(AudioPacketHeader header, ReadOnlySpan<byte> packet, int primaryOffset, int redundantCount, bool spread, scoped ReadOnlySpan<Range> blocks, scoped ReadOnlySpan<byte> durations, scoped ReadOnlySpan<byte> distances)
    {
        Header = header;
        _packet = packet;
        _primaryOffset = primaryOffset;
        RedundantCount = redundantCount;
        _spread = spread;
        // Blocks are stored oldest first; keep the newest apart from the one before it.
        _newestBlock = redundantCount >= 1 ? blocks[redundantCount - 1] : default;
        _newestDuration = redundantCount >= 1 ? durations[redundantCount - 1] : (byte)0;
        _newestDistance = redundantCount >= 1 ? distances[redundantCount - 1] : (byte)0;
        _olderBlock = redundantCount == 2 ? blocks[0] : default;
        _olderDuration = redundantCount == 2 ? durations[0] : (byte)0;
        _olderDistance = redundantCount == 2 ? distances[0] : (byte)0;
    }

    public AudioPacketHeader Header { get; }

    public int RedundantCount { get; }

    /// <summary>Packet format version: 1, or 2 when the redundant copies are spread over time.</summary>
    public int Version => _spread ? AudioPacketFormat.SpreadVersion : AudioPacketFormat.Version;

    /// <summary>The primary Opus frame.</summary>
    public ReadOnlySpan<byte> Primary => _packet[_primaryOffset..];

    /// <summary>
    /// The redundant copy of the frame <paramref name="distance"/> packets back (1 = the previous frame), with its
    /// media timestamp and duration; false when the packet does not carry it.
    /// </summary>
    public bool TryGetRedundant(int distance, out ReadOnlySpan<byte> frame, out uint timestamp, out int durationMilliseconds)
    {
        for (var block = 0; block < RedundantCount; block++)
        {
            if (TryGetBlock(block, out frame, out timestamp, out durationMilliseconds, out var blockDistance) && blockDistance == distance)
            {
                return true;
            }
        }

        frame = default;
        timestamp = 0;
        durationMilliseconds = 0;
        return false;
    }

    /// <summary>
    /// Redundant block <paramref name="block"/>, counting from the newest (0), with the sequence distance of the frame
    /// it carries, its media timestamp and duration; false past the last block.
    /// </summary>
    public bool TryGetBlock(int block, out ReadOnlySpan<byte> frame, out uint timestamp, out int durationMilliseconds, out int distance)
    {
        frame = default;
        timestamp = 0;
        durationMilliseconds = 0;
        distance = 0;
        if (block < 0 || block >= RedundantCount)
        {
            return false;
        }

        var newestSamples = (uint)(_newestDuration * VoiceFormat.SamplesPerMillisecond);
        var newest = block == 0;
        frame = _packet[newest ? _newestBlock : _olderBlock];
        durationMilliseconds = newest ? _newestDuration : _olderDuration;
        distance = newest ? _newestDistance : _olderDistance;
        if (_spread)
        {
            timestamp = Header.Timestamp - (uint)(distance * durationMilliseconds * VoiceFormat.SamplesPerMillisecond);
        }
        else
        {
            timestamp = newest ? Header.Timestamp - newestSamples : Header.Timestamp - newestSamples - (uint)(_olderDuration * VoiceFormat.SamplesPerMillisecond);
        }

        return true;
    }
}
