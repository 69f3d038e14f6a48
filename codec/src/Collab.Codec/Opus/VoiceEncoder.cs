using Collab.Codec.Profiles;
using Concentus;
using Concentus.Enums;

namespace Collab.Codec.Opus;

/// <summary>
/// Opus voice encoder (48 kHz mono, VOIP application, voice signal) configured by a <see cref="VoiceProfile"/>.
/// Not thread-safe: one encoder per speaker.
/// </summary>
public sealed class VoiceEncoder : IDisposable
{
    private readonly IOpusEncoder _encoder;

    public VoiceEncoder(VoiceProfile profile, OpusBackendPreference backend = OpusBackendPreference.Auto)
    {
        (_encoder, Backend) = OpusFactory.CreateEncoder(backend);
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        Profile = profile;
        Apply(profile, profile.ExpectedLossPercent);
    }

    public OpusBackend Backend { get; }

    /// <summary>Samples by which decoded audio lags the input (the encoder's lookahead).</summary>
    public int LookaheadSamples => _encoder.Lookahead;

    public VoiceProfile Profile { get; private set; }

    /// <summary>The loss the encoder currently plans for (Opus <c>PacketLossPercent</c>).</summary>
    public int ExpectedLossPercent { get; private set; }

    /// <summary>Switches to another profile (and planned loss) from the next frame on, keeping the codec state.</summary>
    public void Apply(VoiceProfile profile, int expectedLossPercent)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(profile.FrameMilliseconds is 20 or 40 or 60, true, nameof(profile));
        if (profile.MaxBandwidth != Profile.MaxBandwidth)
        {
            // SILK otherwise glides between internal bandwidths over ~5 s, coding the old band at the new bitrate.
            _encoder.ResetState();
        }

        Profile = profile;
        ExpectedLossPercent = Math.Clamp(expectedLossPercent, 0, 100);
        _encoder.Bitrate = profile.BitrateBitsPerSecond;
        _encoder.Complexity = profile.Complexity;
        _encoder.MaxBandwidth = ToOpus(profile.MaxBandwidth);
        _encoder.UseInbandFEC = profile.InbandFec;
        _encoder.PacketLossPercent = ExpectedLossPercent;
        _encoder.UseDTX = profile.Dtx;
        _encoder.UseVBR = profile.Vbr;
        _encoder.UseConstrainedVBR = profile.Vbr;
    }

    /// <summary>
    /// Encodes one frame of exactly <see cref="VoiceProfile.SamplesPerFrame"/> samples into <paramref name="output"/>
    /// and returns the encoded length. With DTX, silence encodes to 1–2 bytes.
    /// </summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> output)
    {
        if (pcm.Length != Profile.SamplesPerFrame)
        {
            throw new ArgumentException($"A {Profile.FrameMilliseconds} ms frame is {Profile.SamplesPerFrame} samples; got {pcm.Length}.", nameof(pcm));
        }

        return _encoder.Encode(pcm, pcm.Length, output, Math.Min(output.Length, VoiceFormat.MaxEncodedFrameBytes));
    }

    public void Dispose() => (_encoder as IDisposable)?.Dispose();

    internal static OpusBandwidth ToOpus(AudioBandwidth bandwidth) => bandwidth switch
    {
        AudioBandwidth.Narrowband => OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND,
        AudioBandwidth.Mediumband => OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND,
        AudioBandwidth.Wideband => OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND,
        AudioBandwidth.SuperWideband => OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND,
        AudioBandwidth.Fullband => OpusBandwidth.OPUS_BANDWIDTH_FULLBAND,
        _ => throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "Unknown bandwidth."),
    };
}
