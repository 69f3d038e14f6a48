using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Opus;

public sealed class VoiceSenderTests
{
    [Fact]
    public void Packets_carry_consecutive_sequences_contiguous_timestamps_level_and_profile()
    {
        using var sender = new VoiceSender(ProfileLadder.Standard with { Dtx = false }, firstSequence: 65_534, firstTimestamp: 100);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var headers = new List<AudioPacketHeader>();
        for (var i = 0; i < 4; i++)
        {
            var length = sender.EncodeFrame(SpeechSample.Pcm.AsSpan(48_000 + (i * 1920), 1920), buffer);
            Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out _));
            headers.Add(reader.Header);
        }

        Assert.Equal([65_534, 65_535, 0, 1], headers.Select(h => (int)h.Sequence));
        Assert.Equal([100u, 2_020u, 3_940u, 5_860u], headers.Select(h => h.Timestamp));
        Assert.All(headers, h => Assert.Equal(ProfileLadder.Standard.Id, h.ProfileId));
        Assert.All(headers, h => Assert.Equal(40, h.DurationMilliseconds));
        Assert.Contains(headers, h => h.VoiceActivity && h.Level < 40);
    }

    [Fact]
    public void Silence_under_dtx_is_not_sent_and_the_sequence_does_not_skip()
    {
        using var sender = new VoiceSender(ProfileLadder.Standard);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var silence = new short[1920];
        var sent = 0;
        for (var i = 0; i < 50; i++)
        {
            sent += sender.EncodeFrame(silence, buffer) > 0 ? 1 : 0;
        }

        var length = sender.EncodeFrame(SpeechSample.Pcm.AsSpan(48_000, 1920), buffer);
        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out _));

        // Opus enters DTX after ~200 ms of silence, then sends a refresh frame every 400 ms: about 10 of 50 frames.
        Assert.InRange(sent, 1, 15);
        Assert.Equal(sent, reader.Header.Sequence);
        Assert.Equal(50u * 1920u, reader.Header.Timestamp);
    }

    [Fact]
    public void Redundant_profiles_repeat_the_previous_frames_bytes()
    {
        using var sender = new VoiceSender(ProfileLadder.BurstRedundant with { Dtx = false });
        var first = new byte[AudioPacketFormat.MaxPacketBytes];
        var second = new byte[AudioPacketFormat.MaxPacketBytes];
        var third = new byte[AudioPacketFormat.MaxPacketBytes];
        var frame = ProfileLadder.BurstRedundant.SamplesPerFrame;
        var firstLength = sender.EncodeFrame(SpeechSample.Pcm.AsSpan(48_000, frame), first);
        var secondLength = sender.EncodeFrame(SpeechSample.Pcm.AsSpan(48_000 + frame, frame), second);
        var thirdLength = sender.EncodeFrame(SpeechSample.Pcm.AsSpan(48_000 + (2 * frame), frame), third);

        Assert.True(AudioPacketFormat.TryRead(first.AsSpan(0, firstLength), out var r1, out _));
        var firstPrimary = r1.Primary.ToArray();
        Assert.True(AudioPacketFormat.TryRead(second.AsSpan(0, secondLength), out var r2, out _));
        var secondPrimary = r2.Primary.ToArray();
        Assert.True(AudioPacketFormat.TryRead(third.AsSpan(0, thirdLength), out var r3, out _));

        Assert.Equal(0, r1.RedundantCount);
        Assert.Equal(1, r2.RedundantCount);
        Assert.Equal(2, r3.RedundantCount);
        Assert.True(r3.TryGetRedundant(1, out var previous, out var previousTimestamp, out _));
        Assert.True(r3.TryGetRedundant(2, out var beforeThat, out var beforeThatTimestamp, out _));
        Assert.Equal(secondPrimary, previous.ToArray());
        Assert.Equal(firstPrimary, beforeThat.ToArray());
        Assert.Equal((uint)frame, previousTimestamp);
        Assert.Equal(0u, beforeThatTimestamp);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Heavy_red_carries_the_previous_frame_exactly_and_a_smaller_re_encoding_of_the_one_before(OpusBackendPreference backend)
    {
        Backends.Require(backend);
        var profile = ProfileLadder.HeavyRedundant with { Dtx = false };
        using var sender = new VoiceSender(profile, backend);
        var frame = profile.SamplesPerFrame;
        var packets = Enumerable.Range(0, 4).Select(i =>
        {
            var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
            return buffer[..sender.EncodeFrame(SpeechSample.Pcm.AsSpan(24_000 + (i * frame), frame), buffer)];
        }).ToList();

        Assert.True(AudioPacketFormat.TryRead(packets[2], out var second, out _));
        var secondPrimary = second.Primary.ToArray();
        Assert.True(AudioPacketFormat.TryRead(packets[1], out var first, out _));
        var firstPrimary = first.Primary.ToArray();
        Assert.True(AudioPacketFormat.TryRead(packets[3], out var third, out _));

        Assert.Equal(AudioPacketFormat.Version, third.Version);
        Assert.Equal(2, third.RedundantCount);
        Assert.True(third.TryGetRedundant(1, out var previous, out var previousTimestamp, out var previousDuration));
        Assert.Equal(secondPrimary, previous.ToArray());
        Assert.Equal((uint)(2 * frame), previousTimestamp);
        Assert.Equal(120, previousDuration);
        Assert.True(third.TryGetRedundant(2, out var reencoded, out var reencodedTimestamp, out _));
        Assert.Equal((uint)frame, reencodedTimestamp);
        Assert.NotEqual(firstPrimary, reencoded.ToArray());
        Assert.True(reencoded.Length < firstPrimary.Length * 0.85, $"a 6 kb/s copy of {reencoded.Length} B against a 10 kb/s primary of {firstPrimary.Length} B");
        using var decoder = new VoiceDecoder(backend);
        Assert.Equal(frame, decoder.Decode(reencoded, new short[VoiceFormat.MaxFrameSamples]));
    }
}
