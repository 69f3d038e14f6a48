using Collab.Codec.Jitter;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Jitter;

public sealed class JitterBufferTests : IDisposable
{
    private const int Frame = 1920;
    private readonly VoiceDecoder _decoder = new();
    private readonly short[] _output = new short[VoiceFormat.MaxFrameSamples];

    public void Dispose() => _decoder.Dispose();

    [Fact]
    public void Out_of_order_packets_play_in_media_order()
    {
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 4);
        using var buffer = new JitterBuffer(_decoder, new JitterBufferOptions { MinDelayMilliseconds = 40 });
        foreach (var index in new[] { 0, 2, 1, 3 })
        {
            Assert.Equal(JitterPushResult.Accepted, buffer.Push(packets[index], 0));
        }

        var played = Enumerable.Range(0, 4).Select(_ => buffer.Pull(_output)).ToList();

        Assert.All(played, frame => Assert.Equal(PlayoutKind.Decoded, frame.Kind));
        Assert.Equal([0L, Frame, 2 * Frame, 3 * Frame], played.Select(frame => frame.Timestamp - played[0].Timestamp));
    }

    [Fact]
    public void Duplicates_and_malformed_packets_are_counted_and_dropped()
    {
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 2);
        using var buffer = new JitterBuffer(_decoder);

        Assert.Equal(JitterPushResult.Accepted, buffer.Push(packets[0], 0));
        Assert.Equal(JitterPushResult.Duplicate, buffer.Push(packets[0], 1));
        Assert.Equal(JitterPushResult.Malformed, buffer.Push([0x70, 1, 2], 2));

        Assert.Equal(1, buffer.Statistics.Duplicates);
        Assert.Equal(1, buffer.Statistics.Malformed);
        Assert.Equal(1, buffer.Statistics.PacketsReceived);
    }

    [Theory]
    [InlineData("standard", PlayoutKind.Concealed)]
    [InlineData("burst-red", PlayoutKind.RecoveredRedundancy)]
    [InlineData("wide-fec", PlayoutKind.RecoveredFec)]
    public void A_lost_packet_is_rebuilt_from_redundancy_or_fec_else_concealed(string rung, PlayoutKind expected)
    {
        Assert.True(ProfileLadder.TryGetByName(rung, out var profile));
        var packets = SpeechPackets.Encode(profile with { ExpectedLossPercent = 20 }, 12);
        var lost = Enumerable.Range(3, 8).First(i => expected != PlayoutKind.RecoveredFec || OpusPacketInspector.HasInbandFec(Primary(packets[i + 1])));
        using var buffer = new JitterBuffer(_decoder);
        for (var i = 0; i < packets.Count; i++)
        {
            if (i != lost)
            {
                buffer.Push(packets[i], 0);
            }
        }

        var played = Enumerable.Range(0, packets.Count).Select(_ => buffer.Pull(_output)).ToList();

        Assert.Equal(expected, played[lost].Kind);
        Assert.All(played.Where((_, i) => i != lost), frame => Assert.Equal(PlayoutKind.Decoded, frame.Kind));
        Assert.Equal(played[lost - 1].Timestamp + profile.SamplesPerFrame, played[lost].Timestamp);
        Assert.Equal(1.0 / packets.Count, buffer.Statistics.LossFraction, 1e-9);
        Assert.Equal(1, buffer.Statistics.LossBursts);
    }

    [Fact]
    public void A_stall_is_concealed_then_silent_and_the_flood_after_it_is_caught_up_without_unbounded_latency()
    {
        var options = new JitterBufferOptions();
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 100, startMilliseconds: 0);
        using var buffer = new JitterBuffer(_decoder, options);
        double clock = 0;
        var next = 0;

        // 1 s of a steady link, then a 1.6 s TCP stall, then everything held back arrives at once.
        var kinds = new List<PlayoutKind>();
        var maxBacklog = 0.0;
        for (var step = 0; step < 400 && clock < 6_000; step++)
        {
            var stalled = clock is > 1_000 and < 2_600;
            while (!stalled && next < packets.Count && next * 40.0 <= clock)
            {
                buffer.Push(packets[next++], clock);
            }

            var frame = buffer.Pull(_output);
            kinds.Add(frame.Kind);
            if (clock > 2_600)
            {
                maxBacklog = Math.Max(maxBacklog, buffer.BufferedMilliseconds);
            }

            clock += frame.Samples / (double)VoiceFormat.SamplesPerMillisecond;
        }

        var stats = buffer.Statistics;
        Assert.Contains(PlayoutKind.Underrun, kinds);
        Assert.True(stats.FramesSkippedForCatchUp > 0, "the backlog after the stall was never caught up");
        Assert.True(maxBacklog <= stats.TargetDelayMilliseconds + options.HardCatchUpExcessMilliseconds + 40, $"backlog grew to {maxBacklog} ms");
        Assert.Equal(0, stats.FramesConcealed);
        Assert.Equal(0, stats.Late);
        Assert.Equal(100, stats.PacketsReceived);

        // The stall's frames were not played on time: the concealment figure counts them (1.6 s less what was buffered).
        Assert.InRange(stats.FramesStalled, (1_600 - 200) / 40, 1_600 / 40);
        Assert.True(stats.ConcealedFraction > 0.2, $"concealed {stats.ConcealedFraction:P1} with stalls included");
    }

    [Fact]
    public void A_pause_the_speaker_makes_runs_the_buffer_dry_but_is_not_a_stall()
    {
        // 20 frames, a 1 s pause in which the sender sends nothing and its media clock runs on, 20 more frames; every
        // packet arrives on time.
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 40, startMilliseconds: 0);
        var pause = 1_000 * VoiceFormat.SamplesPerMillisecond;
        for (var i = 20; i < packets.Count; i++)
        {
            var timestamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packets[i].AsSpan(4));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packets[i].AsSpan(4), timestamp + (uint)pause);
        }

        using var buffer = new JitterBuffer(_decoder);
        double clock = 0;
        var next = 0;
        var kinds = new List<PlayoutKind>();
        for (var step = 0; step < 400 && clock < 4_000; step++)
        {
            while (next < packets.Count && (next * 40.0) + (next >= 20 ? 1_000 : 0) <= clock)
            {
                buffer.Push(packets[next++], clock);
            }

            var frame = buffer.Pull(_output);
            kinds.Add(frame.Kind);
            clock += frame.Samples / (double)VoiceFormat.SamplesPerMillisecond;
        }

        Assert.Contains(PlayoutKind.Underrun, kinds);
        Assert.Equal(40, buffer.Statistics.FramesDecoded + buffer.Statistics.FramesSkippedForCatchUp);
        Assert.Equal(0, buffer.Statistics.FramesStalled);
        Assert.Equal(0, buffer.Statistics.ConcealedFraction);
    }

    [Fact]
    public void A_dtx_gap_plays_as_silence_and_is_not_a_loss()
    {
        using var sender = new VoiceSender(ProfileLadder.Standard);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var packets = new List<byte[]>();
        var speech = SpeechSample.Pcm;
        var silence = new short[Frame];
        for (var i = 0; i < 60; i++)
        {
            var length = sender.EncodeFrame(i is >= 10 and < 40 ? silence : speech.AsSpan(24_000 + (i * Frame), Frame), buffer);
            if (length > 0)
            {
                packets.Add(buffer[..length]);
            }
        }

        using var jitter = new JitterBuffer(_decoder);
        packets.ForEach(packet => jitter.Push(packet, 0));
        var kinds = Enumerable.Range(0, 60).Select(_ => jitter.Pull(_output).Kind).ToList();

        Assert.Contains(PlayoutKind.Silence, kinds);
        Assert.DoesNotContain(PlayoutKind.Concealed, kinds);
        Assert.Equal(0, jitter.Statistics.LossFraction);
    }

    [Fact]
    public void A_packet_arriving_after_its_slot_was_concealed_is_late()
    {
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 6);
        using var buffer = new JitterBuffer(_decoder);
        foreach (var index in new[] { 0, 1, 3, 4, 5 })
        {
            buffer.Push(packets[index], 0);
        }

        var kinds = Enumerable.Range(0, 3).Select(_ => buffer.Pull(_output).Kind).ToList();

        Assert.Equal([PlayoutKind.Decoded, PlayoutKind.Decoded, PlayoutKind.Concealed], kinds);
        Assert.Equal(JitterPushResult.Late, buffer.Push(packets[2], 130));
        Assert.Equal(1, buffer.Statistics.Late);
    }

    [Fact]
    public void Target_delay_follows_arrival_jitter_within_its_bounds()
    {
        var packets = SpeechPackets.Encode(ProfileLadder.Standard, 120);
        using var steady = new JitterBuffer(_decoder);
        using var jittery = new JitterBuffer(_decoder);
        using var wild = new JitterBuffer(_decoder, new JitterBufferOptions { MaxDelayMilliseconds = 500 });
        for (var i = 0; i < packets.Count; i++)
        {
            steady.Push(packets[i], i * 40.0);
            jittery.Push(packets[i], (i * 40.0) + (i % 3 == 0 ? 180 : 0));
            wild.Push(packets[i], (i * 40.0) + (i % 2 == 0 ? 3_000 : 0));
        }

        Assert.Equal(40, steady.TargetDelayMilliseconds);
        Assert.InRange(jittery.TargetDelayMilliseconds, 200, 240);
        Assert.Equal(500, wild.TargetDelayMilliseconds);
    }

    private static byte[] Primary(byte[] packet) =>
        AudioPacketFormat.TryRead(packet, out var reader, out _) ? reader.Primary.ToArray() : [];
}
