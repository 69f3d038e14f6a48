using Concentus;
using Concentus.Structs;

namespace Collab.Codec.Opus;

/// <summary>
/// Opus voice decoder, always at 48 kHz (the managed decoder outputs silence for hybrid packets decoded below
/// 48 kHz). Loss recovery works in multiples of 10 ms: <see cref="Conceal"/> synthesizes a gap (PLC),
/// <see cref="DecodeFec"/> rebuilds it from the next packet's in-band FEC when that packet carries any.
/// Not thread-safe: one decoder per received speaker.
/// </summary>
public sealed class VoiceDecoder : IDisposable
{
    private readonly IOpusDecoder _decoder;

    public VoiceDecoder(OpusBackendPreference backend = OpusBackendPreference.Auto) =>
        (_decoder, Backend) = OpusFactory.CreateDecoder(backend);

    public OpusBackend Backend { get; }

    /// <summary>Decodes one packet into <paramref name="pcm"/> (room for 120 ms is always enough); returns samples written.</summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        if (packet.IsEmpty)
        {
            throw new ArgumentException("An empty packet has no audio; use Conceal for a gap.", nameof(packet));
        }

        if (packet.Length == 1)
        {
            // A TOC-only packet (DTX) carries no audio: libopus conceals its duration, the managed port throws.
            var samples = OpusPacketInfo.GetNumSamples(packet, VoiceFormat.SampleRate);
            return _decoder.Decode(ReadOnlySpan<byte>.Empty, pcm[..samples], samples, false);
        }

        return _decoder.Decode(packet, pcm, Math.Min(pcm.Length, VoiceFormat.MaxFrameSamples), false);
    }

    /// <summary>Fills a gap of <paramref name="samples"/> (a multiple of 10 ms) with packet-loss concealment.</summary>
    public int Conceal(Span<short> pcm, int samples)
    {
        RequireTenMillisecondMultiple(samples);
        return _decoder.Decode(ReadOnlySpan<byte>.Empty, pcm[..samples], samples, false);
    }

    /// <summary>
    /// Rebuilds a lost frame of <paramref name="samples"/> from the in-band FEC of <paramref name="nextPacket"/>,
    /// the packet that followed it. Without FEC data in that packet Opus falls back to concealment.
    /// The next packet itself must still be decoded with <see cref="Decode"/> afterwards.
    /// </summary>
    public int DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm, int samples)
    {
        RequireTenMillisecondMultiple(samples);
        return _decoder.Decode(nextPacket, pcm[..samples], samples, true);
    }

    public void Dispose() => (_decoder as IDisposable)?.Dispose();

    private static void RequireTenMillisecondMultiple(int samples)
    {
        if (samples <= 0 || samples % (10 * VoiceFormat.SamplesPerMillisecond) != 0 || samples > VoiceFormat.MaxFrameSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "Concealment and FEC work in multiples of 10 ms (480 samples), up to 120 ms.");
        }
    }
}
