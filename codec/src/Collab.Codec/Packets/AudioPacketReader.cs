namespace Collab.Codec.Packets;

/// <summary>A parsed view over one audio packet's bytes; nothing is copied.</summary>
public readonly ref struct AudioPacketReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _primaryOffset;
    private readonly Range _olderBlock;
    private readonly Range _newerBlock;
    private readonly byte _olderDuration;
    private readonly byte _newerDuration;

    internal AudioPacketReader(AudioPacketHeader header, ReadOnlySpan<byte> packet, int primaryOffset, int redundantCount, scoped ReadOnlySpan<Range> blocks, scoped ReadOnlySpan<byte> durations)
    {
        Header = header;
        _packet = packet;
        _primaryOffset = primaryOffset;
        RedundantCount = redundantCount;
        // Blocks are stored oldest first; keep the newest (distance 1) apart from the one before it (distance 2).
        _newerBlock = redundantCount >= 1 ? blocks[redundantCount - 1] : default;
        _newerDuration = redundantCount >= 1 ? durations[redundantCount - 1] : (byte)0;
        _olderBlock = redundantCount == 2 ? blocks[0] : default;
        _olderDuration = redundantCount == 2 ? durations[0] : (byte)0;
    }

    public AudioPacketHeader Header { get; }

    public int RedundantCount { get; }

    /// <summary>The primary Opus frame.</summary>
    public ReadOnlySpan<byte> Primary => _packet[_primaryOffset..];

    /// <summary>
    /// The redundant copy of the frame <paramref name="distance"/> packets back (1 = the previous frame), with its
    /// media timestamp and duration; false when the packet does not carry it.
    /// </summary>
    public bool TryGetRedundant(int distance, out ReadOnlySpan<byte> frame, out uint timestamp, out int durationMilliseconds)
    {
        frame = default;
        timestamp = 0;
        durationMilliseconds = 0;
        if (distance < 1 || distance > RedundantCount)
        {
            return false;
        }

        var newerSamples = (uint)(_newerDuration * VoiceFormat.SamplesPerMillisecond);
        if (distance == 1)
        {
            frame = _packet[_newerBlock];
            durationMilliseconds = _newerDuration;
            timestamp = Header.Timestamp - newerSamples;
            return true;
        }

        frame = _packet[_olderBlock];
        durationMilliseconds = _olderDuration;
        timestamp = Header.Timestamp - newerSamples - (uint)(_olderDuration * VoiceFormat.SamplesPerMillisecond);
        return true;
    }
}
