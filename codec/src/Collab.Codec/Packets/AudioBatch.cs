using System.Buffers.Binary;

namespace Collab.Codec.Packets;

/// <summary>
/// Several audio packets of one speaker in one hub message (profiles with <c>FramesPerMessage</c> above 1 spread the
/// per-message overhead that way). Layout: packet count (1 byte, 1–8), then for each packet, oldest first, its length
/// (uint16, big-endian) and its bytes.
/// </summary>
public static class AudioBatch
{
    public const int MaxPackets = 8;
    public const int PacketLengthBytes = 2;

    /// <summary>Largest batch a reader accepts.</summary>
    public const int MaxBytes = 1 + (MaxPackets * (PacketLengthBytes + AudioPacketFormat.MaxPacketBytes));

    /// <summary>Bytes a batch of packets with these lengths takes.</summary>
    public static int SizeOf(ReadOnlySpan<int> packetLengths)
    {
        var size = 1;
        foreach (var length in packetLengths)
        {
            size += PacketLengthBytes + length;
        }

        return size;
    }

    /// <summary>Checks the framing of a batch (not the packets inside) and counts its packets.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> batch, out int packets, out string? error)
    {
        packets = 0;
        if (batch.IsEmpty || batch.Length > MaxBytes)
        {
            error = $"An audio batch has 1–{MaxBytes} bytes; got {batch.Length}.";
            return false;
        }

        var count = batch[0];
        if (count is 0 or > MaxPackets)
        {
            error = $"An audio batch holds 1–{MaxPackets} packets; it says {count}.";
            return false;
        }

        var offset = 1;
        for (var i = 0; i < count; i++)
        {
            if (batch.Length < offset + PacketLengthBytes)
            {
                error = $"The batch ends inside packet {i + 1}'s length.";
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(batch[offset..]);
            offset += PacketLengthBytes;
            if (length == 0 || batch.Length < offset + length)
            {
                error = $"Packet {i + 1} of the batch has a bad length ({length} B).";
                return false;
            }

            offset += length;
        }

        if (offset != batch.Length)
        {
            error = $"The batch has {batch.Length - offset} bytes after its last packet.";
            return false;
        }

        packets = count;
        error = null;
        return true;
    }

    /// <summary>
    /// Checks a batch completely, as a relay must before it forwards it: the framing, and every packet whole (header,
    /// redundancy count, each redundant block's header and bounds, a primary frame), with
    /// <see cref="AudioPacketFormat.TryRead"/>. Allocates nothing unless it fails (the reason). Returns the packet count
    /// and the last packet's header.
    /// </summary>
    public static bool TryValidatePackets(ReadOnlySpan<byte> batch, out int packets, out AudioPacketHeader last, out string? error)
    {
        last = default;
        if (!TryValidate(batch, out packets, out error))
        {
            return false;
        }

        var index = 0;
        foreach (var packet in Packets(batch))
        {
            index++;
            if (!AudioPacketFormat.TryRead(packet, out var reader, out var packetError))
            {
                packets = 0;
                error = $"Packet {index} of the batch: {packetError}";
                return false;
            }

            last = reader.Header;
        }

        return true;
    }

    /// <summary>Enumerates the packets of a batch that <see cref="TryValidate"/> accepted.</summary>
    public static Enumerator Packets(ReadOnlySpan<byte> batch) => new(batch);

    /// <summary>Writes a batch: the packets are given as one buffer and their lengths, in order.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths)
    {
        if (lengths.Length is 0 or > MaxPackets)
        {
            throw new ArgumentException($"A batch holds 1–{MaxPackets} packets.", nameof(lengths));
        }

        destination[0] = (byte)lengths.Length;
        var offset = 1;
        var read = 0;
        foreach (var length in lengths)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)length);
            offset += PacketLengthBytes;
            packets.Slice(read, length).CopyTo(destination[offset..]);
            offset += length;
            read += length;
        }

        return offset;
    }

    /// <summary>A new batch of whole packets (allocates: for senders that hold each packet as an array).</summary>
    public static byte[] Pack(IReadOnlyList<byte[]> packets)
    {
        var lengths = packets.Select(packet => packet.Length).ToArray();
        var batch = new byte[SizeOf(lengths)];
        Write(batch, packets.SelectMany(packet => packet).ToArray(), lengths);
        return batch;
    }

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _batch;
        private int _offset;
        private int _remaining;

        internal Enumerator(ReadOnlySpan<byte> batch)
        {
            _batch = batch;
            _offset = 1;
            _remaining = batch.IsEmpty ? 0 : batch[0];
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_remaining == 0 || _batch.Length < _offset + PacketLengthBytes)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(_batch[_offset..]);
            _offset += PacketLengthBytes;
            if (_batch.Length < _offset + length)
            {
                return false;
            }

            Current = _batch.Slice(_offset, length);
            _offset += length;
            _remaining--;
            return true;
        }
    }
}
