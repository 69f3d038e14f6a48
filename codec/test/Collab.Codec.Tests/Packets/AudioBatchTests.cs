using Collab.Codec.Packets;

namespace Collab.Codec.Tests.Packets;

public sealed class AudioBatchTests
{
    [Fact]
    public void Packets_round_trip_in_order()
    {
        byte[] packets = [1, 2, 3, 4, 5, 6];
        var batch = new byte[AudioBatch.SizeOf([2, 4])];

        var length = AudioBatch.Write(batch, packets, [2, 4]);

        Assert.Equal(batch.Length, length);
        Assert.Equal([2, 0, 2, 1, 2, 0, 4, 3, 4, 5, 6], batch);
        Assert.True(AudioBatch.TryValidate(batch, out var count, out _));
        Assert.Equal(2, count);
        var read = new List<byte[]>();
        foreach (var packet in AudioBatch.Packets(batch))
        {
            read.Add(packet.ToArray());
        }

        Assert.Equal([[1, 2], [3, 4, 5, 6]], read);
    }

    [Fact]
    public void Packing_whole_packets_gives_the_written_layout()
    {
        byte[] packed = AudioBatch.Pack([[1, 2], [3, 4, 5, 6]]);

        Assert.Equal([2, 0, 2, 1, 2, 0, 4, 3, 4, 5, 6], packed);
    }

    [Theory]
    [InlineData(new byte[] { }, "1–")]
    [InlineData(new byte[] { 0 }, "1–8 packets")]
    [InlineData(new byte[] { 9, 0, 1, 1 }, "1–8 packets")]
    [InlineData(new byte[] { 1, 0 }, "ends inside packet 1")]
    [InlineData(new byte[] { 1, 0, 5, 1, 2 }, "bad length")]
    [InlineData(new byte[] { 1, 0, 1, 7, 7 }, "1 bytes after")]
    public void Malformed_batches_are_rejected_with_a_reason(byte[] batch, string reason)
    {
        Assert.False(AudioBatch.TryValidate(batch, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x1D, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1 }, "Packet 2 of the batch: An audio packet carries at most 2 redundant frames; it says 3.")]
    [InlineData(new byte[] { 0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0 }, "Packet 2 of the batch: The packet ends inside a redundant block header.")]
    [InlineData(new byte[] { 0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 40, 1, 2 }, "Packet 2 of the batch: Redundant block 1 is malformed (duration 20 ms, length 40 B).")]
    [InlineData(new byte[] { 0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 2, 1, 2 }, "Packet 2 of the batch: The packet has no primary frame.")]
    public void A_complete_check_finds_a_malformed_packet_anywhere_in_the_batch(byte[] bad, string reason)
    {
        byte[] good = [0x11, 0, 0, 1, 0, 0, 0x3C, 0, 20, 30, 0xF8, 0xFF];
        var batch = AudioBatch.Pack([good, bad, good]);

        Assert.True(AudioBatch.TryValidate(batch, out _, out _), "the framing alone is fine");
        Assert.False(AudioBatch.TryValidatePackets(batch, out var packets, out _, out var error));
        Assert.Equal(reason, error);
        Assert.Equal(0, packets);
    }

    [Fact]
    public void A_complete_check_accepts_packets_with_redundancy_and_reports_the_last_header()
    {
        byte[] first = [0x11, 0, 0, 1, 0, 0, 0x3C, 0, 20, 30, 0xF8, 0xFF];
        byte[] second = [0x19, 3, 0, 2, 0, 0, 0x40, 0, 20, 40, 20, 0, 2, 7, 7, 20, 0, 1, 8, 9];

        Assert.True(AudioBatch.TryValidatePackets(AudioBatch.Pack([first, second]), out var packets, out var last, out var error), error);
        Assert.Equal(2, packets);
        Assert.Equal((ushort)2, last.Sequence);
        Assert.Equal((byte)3, last.ProfileId);
        Assert.Equal((byte)40, last.Level);
    }
}
