using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Opus;

public sealed class VoiceCodecTests
{
    public static TheoryData<string, OpusBackendPreference> RungsOnBothBackends()
    {
        var data = new TheoryData<string, OpusBackendPreference>();
        foreach (var profile in ProfileLadder.All)
        {
            data.Add(profile.Name, OpusBackendPreference.Managed);
            data.Add(profile.Name, OpusBackendPreference.Native);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RungsOnBothBackends))]
    public void Every_rung_round_trips_speech_with_its_length_level_and_intelligibility(string rung, OpusBackendPreference backend)
    {
        Backends.Require(backend);
        Assert.True(ProfileLadder.TryGetByName(rung, out var profile));
        using var encoder = new VoiceEncoder(profile, backend);
        using var decoder = new VoiceDecoder(backend);
        var input = SpeechSample.Pcm;
        var decoded = new short[input.Length + VoiceFormat.MaxFrameSamples];
        var packet = new byte[VoiceFormat.MaxEncodedFrameBytes];
        var frame = new short[profile.SamplesPerFrame];
        var written = 0;
        long encodedBytes = 0;
        for (var position = 0; position < input.Length; position += frame.Length)
        {
            Array.Clear(frame);
            input.AsSpan(position, Math.Min(frame.Length, input.Length - position)).CopyTo(frame);
            var length = encoder.Encode(frame, packet);
            encodedBytes += length;
            written += decoder.Decode(packet.AsSpan(0, length), decoded.AsSpan(written));
        }

        Assert.Equal(backend == OpusBackendPreference.Native ? OpusBackend.Native : OpusBackend.Managed, encoder.Backend);
        Assert.Equal((input.Length + frame.Length - 1) / frame.Length * frame.Length, written);
        var aligned = decoded.AsSpan(encoder.LookaheadSamples, input.Length);
        Assert.InRange(AudioLevel.Measure(aligned) - AudioLevel.Measure(input), -2, 2);
        var seconds = input.Length / (double)VoiceFormat.SampleRate;
        Assert.InRange(encodedBytes * 8 / seconds, 0.5 * profile.BitrateBitsPerSecond, 1.15 * profile.BitrateBitsPerSecond);
        var floor = profile == ProfileLadder.Lifeline ? 0.85 : 0.92;
        Assert.True(SpeechSample.Score(aligned).Stoi >= floor, $"{rung} on {backend}: STOI below {floor}");
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Concealment_fills_gaps_and_decoding_carries_on(OpusBackendPreference backend)
    {
        Backends.Require(backend);
        var profile = ProfileLadder.Standard with { Dtx = false };
        using var encoder = new VoiceEncoder(profile, backend);
        using var decoder = new VoiceDecoder(backend);
        var input = SpeechSample.Pcm;
        var output = new short[VoiceFormat.MaxFrameSamples];
        var packet = new byte[VoiceFormat.MaxEncodedFrameBytes];
        var samplesOut = 0;
        var frames = 0;
        for (var position = 0; position + profile.SamplesPerFrame <= input.Length; position += profile.SamplesPerFrame, frames++)
        {
            var length = encoder.Encode(input.AsSpan(position, profile.SamplesPerFrame), packet);
            var lost = frames % 4 == 1;
            var samples = lost ? decoder.Conceal(output, profile.SamplesPerFrame) : decoder.Decode(packet.AsSpan(0, length), output);
            Assert.Equal(profile.SamplesPerFrame, samples);
            samplesOut += samples;
        }

        Assert.Equal(frames * profile.SamplesPerFrame, samplesOut);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Conceal(output, 300));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Fec_rebuilds_a_lost_frame_closer_to_the_original_than_concealment(OpusBackendPreference backend)
    {
        Backends.Require(backend);
        var profile = ProfileLadder.WideFec with { Dtx = false, ExpectedLossPercent = 20 };
        using var encoder = new VoiceEncoder(profile, backend);
        using var reference = new VoiceDecoder(backend);
        using var withFec = new VoiceDecoder(backend);
        using var withPlc = new VoiceDecoder(backend);
        var input = SpeechSample.Pcm;
        var frame = profile.SamplesPerFrame;
        var packets = new List<byte[]>();
        var buffer = new byte[VoiceFormat.MaxEncodedFrameBytes];
        for (var position = 0; position + frame <= input.Length; position += frame)
        {
            packets.Add(buffer[..encoder.Encode(input.AsSpan(position, frame), buffer)]);
        }

        double fecError = 0, plcError = 0;
        var recovered = 0;
        var expected = new short[frame];
        var fec = new short[VoiceFormat.MaxFrameSamples];
        var plc = new short[VoiceFormat.MaxFrameSamples];
        for (var i = 1; i + 1 < packets.Count; i++)
        {
            reference.Decode(packets[i], expected);
            if (i % 5 == 0 && OpusPacketInspector.HasInbandFec(packets[i + 1]))
            {
                withFec.DecodeFec(packets[i + 1], fec, frame);
                withPlc.Conceal(plc, frame);
                fecError += SquaredError(expected, fec.AsSpan(0, frame));
                plcError += SquaredError(expected, plc.AsSpan(0, frame));
                recovered++;
                continue;
            }

            withFec.Decode(packets[i], fec);
            withPlc.Decode(packets[i], plc);
        }

        Assert.True(recovered >= 20, $"only {recovered} lost frames had FEC in the next packet");
        Assert.True(fecError < 0.5 * plcError, $"FEC error {fecError:E2} is not well below concealment error {plcError:E2}");
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Lbrr_is_present_where_fec_engages_and_absent_at_low_rates(OpusBackendPreference backend)
    {
        Backends.Require(backend);
        Assert.True(ShareWithFec(ProfileLadder.WideFec with { ExpectedLossPercent = 20, Dtx = false }, backend) > 0.6);
        Assert.Equal(0, ShareWithFec(ProfileLadder.Standard with { InbandFec = true, BitrateBitsPerSecond = 12_000, ExpectedLossPercent = 20, Dtx = false }, backend));
        Assert.Equal(0, ShareWithFec(ProfileLadder.WideFec with { InbandFec = false, Dtx = false }, backend));
    }

    [Fact]
    public void Native_backend_is_reported_when_asked_for_and_managed_when_forced()
    {
        Backends.Require(OpusBackendPreference.Native);
        using var native = new VoiceDecoder(OpusBackendPreference.Native);
        using var managed = new VoiceDecoder(OpusBackendPreference.Managed);
        using var auto = new VoiceDecoder();
        Assert.Equal(OpusBackend.Native, native.Backend);
        Assert.Equal(OpusBackend.Managed, managed.Backend);
        Assert.Equal(OpusBackend.Native, auto.Backend);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void A_toc_only_dtx_packet_decodes_as_concealment_of_its_duration(OpusBackendPreference backend)
    {
        Backends.Require(backend);
        using var decoder = new VoiceDecoder(backend);
        var output = new short[VoiceFormat.MaxFrameSamples];

        // 0x68: hybrid super-wideband, 20 ms, one frame, no payload (what DTX emits in silence).
        Assert.Equal(960, decoder.Decode([0x68], output));
    }

    [Fact]
    public void Encoder_rejects_a_frame_of_the_wrong_length()
    {
        using var encoder = new VoiceEncoder(ProfileLadder.Standard);
        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(new short[960], new byte[1500]));
        Assert.Contains("1920", error.Message, StringComparison.Ordinal);
    }

    private static double ShareWithFec(VoiceProfile profile, OpusBackendPreference backend)
    {
        using var encoder = new VoiceEncoder(profile, backend);
        var input = SpeechSample.Pcm;
        var buffer = new byte[VoiceFormat.MaxEncodedFrameBytes];
        int withFec = 0, total = 0;
        for (var position = 0; position + profile.SamplesPerFrame <= input.Length; position += profile.SamplesPerFrame, total++)
        {
            var length = encoder.Encode(input.AsSpan(position, profile.SamplesPerFrame), buffer);
            withFec += OpusPacketInspector.HasInbandFec(buffer.AsSpan(0, length)) ? 1 : 0;
        }

        return withFec / (double)total;
    }

    private static double SquaredError(ReadOnlySpan<short> expected, ReadOnlySpan<short> actual)
    {
        double sum = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            double difference = expected[i] - actual[i];
            sum += difference * difference;
        }

        return sum;
    }
}
