using Concentus.Enums;
using Concentus.Structs;

namespace Collab.Codec.Opus;

/// <summary>
/// Reads what a receiver needs from an Opus packet without decoding audio: whether its SILK layer carries
/// in-band FEC (LBRR) for the previous frame. libopus 1.1 has no call for this, so the first bits of the
/// range-coded SILK header (RFC 6716 §4.2.3: one VAD flag per SILK frame, then the LBRR flag) are read here.
/// </summary>
public static class OpusPacketInspector
{
    private const int SilkFrameSamples = 20 * VoiceFormat.SamplesPerMillisecond;

    /// <summary>True when <paramref name="packet"/> can rebuild the frame before it with <see cref="VoiceDecoder.DecodeFec"/>.</summary>
    public static bool HasInbandFec(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 3 || OpusPacketInfo.GetEncoderMode(packet) == OpusMode.MODE_CELT_ONLY)
        {
            return false;
        }

        var frameSamples = OpusPacketInfo.GetNumSamplesPerFrame(packet, VoiceFormat.SampleRate);
        var silkFrames = Math.Max(1, frameSamples / SilkFrameSamples);
        var firstFrame = (packet[0] & 0x3) == 0 ? packet[1..] : FirstFrameOf(packet);
        if (firstFrame.IsEmpty)
        {
            return false;
        }

        var decoder = new RangeBitReader(firstFrame);
        for (var i = 0; i < silkFrames; i++)
        {
            decoder.ReadBitLogP1();
        }

        return decoder.ReadBitLogP1();
    }

    private static ReadOnlySpan<byte> FirstFrameOf(ReadOnlySpan<byte> packet)
    {
        try
        {
            var info = OpusPacketInfo.ParseOpusPacket(packet);
            return info.Frames.Count > 0 ? info.Frames[0] : [];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    /// <summary>The Opus range decoder (RFC 6716 §4.1), only as far as equiprobable bits.</summary>
    private ref struct RangeBitReader
    {
        private const uint CodeBottom = 1u << 23;
        private const uint CodeMask = (1u << 31) - 1;
        private readonly ReadOnlySpan<byte> _data;
        private int _offset;
        private uint _range;
        private uint _value;
        private uint _remainder;

        public RangeBitReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _offset = 0;
            _range = 128;
            _remainder = NextByte();
            _value = 127 - (_remainder >> 1);
            Normalize();
        }

        public bool ReadBitLogP1()
        {
            var split = _range >> 1;
            var bit = _value < split;
            if (!bit)
            {
                _value -= split;
            }

            _range = bit ? split : _range - split;
            Normalize();
            return bit;
        }

        private void Normalize()
        {
            while (_range <= CodeBottom)
            {
                _range <<= 8;
                var symbol = _remainder;
                _remainder = NextByte();
                symbol = ((symbol << 8) | _remainder) >> 1;
                _value = ((_value << 8) + (255 & ~symbol)) & CodeMask;
            }
        }

        private uint NextByte() => _offset < _data.Length ? _data[_offset++] : 0u;
    }
}
