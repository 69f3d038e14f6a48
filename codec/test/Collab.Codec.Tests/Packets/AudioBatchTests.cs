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
}
