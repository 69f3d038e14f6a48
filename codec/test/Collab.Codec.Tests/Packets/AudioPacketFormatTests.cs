using Collab.Codec.Packets;

namespace Collab.Codec.Tests.Packets;

public sealed class AudioPacketFormatTests
{
    private static readonly AudioPacketHeader s_header = new(65_535, 4_294_967_000, 60, 23, true, 2);

    [Fact]
    public void Header_and_primary_round_trip_big_endian()
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var length = new AudioPacketWriter(buffer, s_header).Complete([1, 2, 3]);

        Assert.Equal(AudioPacketFormat.HeaderBytes + 3, length);
        Assert.Equal([0x11, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xD8, 60, 23, 1, 2, 3], buffer[..length]);
        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out var error), error);
        Assert.Equal(s_header, reader.Header);
        Assert.Equal(0, reader.RedundantCount);
        Assert.Equal([1, 2, 3], reader.Primary.ToArray());
        Assert.False(reader.TryGetRedundant(1, out _, out _, out _));
    }

    [Fact]
    public void Redundant_frames_come_back_with_their_timestamps_newest_first()
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var header = s_header with { Timestamp = 10_000, DurationMilliseconds = 40 };
        var writer = new AudioPacketWriter(buffer, header);
        writer.AddRedundant([7, 7], 20);
        writer.AddRedundant([8, 8, 8], 40);
        var length = writer.Complete([9]);

        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out _));
        Assert.Equal(2, reader.RedundantCount);
        Assert.True(reader.TryGetRedundant(1, out var newer, out var newerTimestamp, out var newerDuration));
        Assert.Equal([8, 8, 8], newer.ToArray());
        Assert.Equal(10_000u - 1_920u, newerTimestamp);
        Assert.Equal(40, newerDuration);
        Assert.True(reader.TryGetRedundant(2, out var older, out var olderTimestamp, out var olderDuration));
        Assert.Equal([7, 7], older.ToArray());
        Assert.Equal(10_000u - 1_920u - 960u, olderTimestamp);
        Assert.Equal(20, olderDuration);
        Assert.Equal([9], reader.Primary.ToArray());
    }

    [Fact]
    public void Spread_copies_make_a_version_2_packet_whose_blocks_name_their_distance()
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var header = s_header with { Timestamp = 100_000, DurationMilliseconds = 60 };
        var writer = new AudioPacketWriter(buffer, header);
        writer.AddRedundant([1, 2], 60, distance: 3);
        writer.AddRedundant([3], 60, distance: 1);
        var length = writer.Complete([9]);

        Assert.Equal(0x29, buffer[0]);
        Assert.Equal([0x36, 0, 2, 1, 2, 0x16, 0, 1, 3, 9], buffer[10..length]);
        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out var error), error);
        Assert.Equal(2, reader.Version);
        Assert.False(reader.TryGetRedundant(2, out _, out _, out _));
        Assert.True(reader.TryGetRedundant(3, out var far, out var farTimestamp, out var farDuration));
        Assert.Equal([1, 2], far.ToArray());
        Assert.Equal(100_000u - (3u * 2_880u), farTimestamp);
        Assert.Equal(60, farDuration);
        Assert.True(reader.TryGetRedundant(1, out var near, out var nearTimestamp, out _));
        Assert.Equal([3], near.ToArray());
        Assert.Equal(100_000u - 2_880u, nearTimestamp);
    }

    [Fact]
    public void Contiguous_copies_named_by_distance_stay_version_1()
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var writer = new AudioPacketWriter(buffer, s_header);
        writer.AddRedundant([1], 60, distance: 2);
        writer.AddRedundant([2], 60, distance: 1);
        var length = writer.Complete([9]);

        Assert.Equal(0x19, buffer[0]);
        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out _));
        Assert.Equal(1, reader.Version);
        Assert.True(reader.TryGetRedundant(2, out var older, out _, out _));
        Assert.Equal([1], older.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x06, 0, 1, 1, 2 }, "distance 0")]
    [InlineData(new byte[] { 0x29, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x16, 0, 1, 1, 0x36, 0, 1, 2, 3 }, "strictly decreasing")]
    [InlineData(new byte[] { 0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x3D, 0, 1, 1, 2 }, "duration 130 ms")]
    public void Malformed_version_2_blocks_are_rejected_with_a_reason(byte[] packet, string reason)
    {
        Assert.False(AudioPacketFormat.TryRead(packet, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x11, 0, 0, 0, 0, 0, 0, 0, 20, 0 }, "at least 11 bytes")]
    [InlineData(new byte[] { 0x31, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1 }, "version 3 is not supported")]
    [InlineData(new byte[] { 0x11, 0, 0, 0, 0, 0, 0, 0, 25, 0, 1 }, "25 ms")]
    [InlineData(new byte[] { 0x11, 0, 0, 0, 0, 0, 0, 0, 20, 200, 1 }, "Audio level 200")]
    [InlineData(new byte[] { 0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 9, 1 }, "Redundant block 1 is malformed")]
    [InlineData(new byte[] { 0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 1, 1 }, "no primary frame")]
    [InlineData(new byte[] { 0x1D, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1 }, "at most 2 redundant frames")]
    public void Malformed_packets_are_rejected_with_a_reason(byte[] packet, string reason)
    {
        Assert.False(AudioPacketFormat.TryRead(packet, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_packets_are_rejected()
    {
        var packet = new byte[AudioPacketFormat.MaxPacketBytes + 1];
        packet[0] = 0x10;
        packet[8] = 20;
        Assert.False(AudioPacketFormat.TryReadHeader(packet, out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reserved_bit_is_ignored_so_a_later_version_can_use_it()
    {
        byte[] packet = [0x13, 4, 0, 9, 0, 0, 3, 0xC0, 40, 60, 0xAB];
        Assert.True(AudioPacketFormat.TryRead(packet, out var reader, out _));
        Assert.Equal(new AudioPacketHeader(9, 960, 40, 60, true, 4), reader.Header);
    }

    [Fact]
    public void A_writer_refuses_a_third_redundant_frame_and_a_bad_duration()
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioPacketWriter(buffer, s_header with { DurationMilliseconds = 15 }));
        var writer = new AudioPacketWriter(buffer, s_header);
        writer.AddRedundant([1], 20);
        writer.AddRedundant([1], 20);
        var thrown = false;
        try
        {
            writer.AddRedundant([1], 20);
        }
        catch (InvalidOperationException)
        {
            thrown = true;
        }

        Assert.True(thrown);
    }
}
