using Collab.Codec.Profiles;
using Concentus;
using Concentus.Enums;
using Concentus.Structs;

namespace Collab.Codec.Opus;

/// <summary>
/// Opus voice encoder (48 kHz mono, VOIP application, voice signal) configured by a <see cref="VoiceProfile"/>.
/// Frames of 80 and 120 ms are native to libopus 1.3; the managed port (Opus 1.1) encodes them as 40 or 60 ms
/// frames and joins those into one packet with the Opus repacketizer, as libopus itself does. Not thread-safe: one
/// encoder per speaker.
/// </summary>
public sealed class VoiceEncoder : IDisposable
{
    private const int LongestManagedFrameMilliseconds = 60;
    private readonly IOpusEncoder _encoder;
    private OpusRepacketizer? _repacketizer;
    private byte[][] _parts = [];
    private byte[] _joined = [];

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
        ArgumentOutOfRangeException.ThrowIfNotEqual(profile.FrameMilliseconds is 20 or 40 or 60 or 80 or 120, true, nameof(profile));
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

        if (Backend == OpusBackend.Native || Profile.FrameMilliseconds <= LongestManagedFrameMilliseconds)
        {
            return _encoder.Encode(pcm, pcm.Length, output, Math.Min(output.Length, VoiceFormat.MaxEncodedFrameBytes));
        }

        return EncodeJoined(pcm, output);
    }

    /// <summary>The managed port's long frame: 40 or 60 ms parts, repacketized into one Opus packet.</summary>
    private int EncodeJoined(ReadOnlySpan<short> pcm, Span<byte> output)
    {
        var partMilliseconds = Profile.FrameMilliseconds % 60 == 0 ? 60 : 40;
        var parts = Profile.FrameMilliseconds / partMilliseconds;
        var partSamples = partMilliseconds * VoiceFormat.SamplesPerMillisecond;
        if (_parts.Length < parts)
        {
            _parts = [.. Enumerable.Range(0, parts).Select(_ => new byte[VoiceFormat.MaxEncodedFrameBytes])];
            _joined = new byte[VoiceFormat.MaxEncodedFrameBytes * parts];
        }

        _repacketizer ??= new OpusRepacketizer();
        _repacketizer.Reset();
        for (var part = 0; part < parts; part++)
        {
            var length = _encoder.Encode(pcm.Slice(part * partSamples, partSamples), partSamples, _parts[part], VoiceFormat.MaxEncodedFrameBytes);
            if (_repacketizer.AddPacket(_parts[part], 0, length) != 0)
            {
                throw new InvalidOperationException($"Opus could not join part {part + 1} of a {Profile.FrameMilliseconds} ms frame.");
            }
        }

        var joined = _repacketizer.CreatePacket(_joined, 0, _joined.Length);
        if (joined <= 0 || joined > Math.Min(output.Length, VoiceFormat.MaxEncodedFrameBytes))
        {
            throw new InvalidOperationException($"A joined {Profile.FrameMilliseconds} ms frame of {joined} B does not fit the output.");
        }

        _joined.AsSpan(0, joined).CopyTo(output);
        return joined;
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
