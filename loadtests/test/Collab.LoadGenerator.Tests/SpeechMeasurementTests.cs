using Collab.Codec;
using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;
using Collab.LoadGenerator.Scenarios;

namespace Collab.LoadGenerator.Tests;

/// <summary>The listeners' measurements on real speech through the real codec, without a network in between.</summary>
public sealed class SpeechMeasurementTests
{
    private static readonly short[] s_speech = WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav"));

    [Fact]
    public void Speech_played_as_sent_scores_high_and_gaps_in_it_score_lower()
    {
        var clean = Play(dropEvery: 0);
        var gappy = Play(dropEvery: 3);

        Assert.Equal(2, clean.Count);
        Assert.All(clean, score => Assert.True(score > 0.9, $"STOI {score:0.000} of a clean decode"));
        Assert.All(gappy, score => Assert.True(score < clean.Min() - 0.1, $"STOI {score:0.000} with a third of the frames silent, vs {clean.Min():0.000} clean"));
    }

    [Fact]
    public void The_reference_follows_the_speaker_s_loop_over_the_sample_from_its_offset()
    {
        var spoken = new SpokenAudio(s_speech, speechOffset: 24_000);

        Assert.Equal(s_speech[24_000] / 32768f, spoken.Reference(0));
        Assert.Equal(s_speech[(24_000 + s_speech.Length + 5) % s_speech.Length] / 32768f, spoken.Reference(s_speech.Length + 5));
    }

    [Fact]
    public void Spoken_and_sent_times_are_found_by_media_time_and_sequence()
    {
        var spoken = new SpokenAudio(s_speech, 0);
        spoken.Spoken(timestamp: 96_000, runMilliseconds: 2_000);
        spoken.Sent(sequence: 65_535, runMilliseconds: 2_040);

        Assert.Equal(2_000, spoken.SpokenAt(96_000));
        Assert.Equal(2_040, spoken.SentAt(65_535));
        Assert.Equal(0, spoken.SpokenAt(96_000 + (20 * VoiceFormat.SamplesPerMillisecond)));
    }

    [Fact]
    public void Latency_samples_keep_a_bounded_unbiased_sample_of_a_long_run()
    {
        var samples = new LatencySamples(capacity: 1_000);
        for (var i = 0; i < 100_000; i++)
        {
            samples.Add(i % 100);
        }

        var sorted = samples.Sorted();
        Assert.Equal(100_000, samples.Count);
        Assert.Equal(1_000, sorted.Length);
        Assert.InRange(sorted[sorted.Length / 2], 40, 60);
    }

    /// <summary>Encodes 25 s of the sample in the standard profile, decodes it (every n-th frame silent) into windows, and scores them.</summary>
    private static List<double> Play(int dropEvery)
    {
        var profile = ProfileLadder.Standard with { Dtx = false };
        var spoken = new SpokenAudio(s_speech, 0);
        using var sender = new VoiceSender(profile);
        using var decoder = new VoiceDecoder();
        spoken.LookaheadSamples = sender.LookaheadSamples;
        var played = new PlayedSpeech(spoken);
        var packet = new byte[Codec.Packets.AudioPacketFormat.MaxPacketBytes];
        var pcm = new short[VoiceFormat.MaxFrameSamples];
        var frame = new short[profile.SamplesPerFrame];
        for (var n = 0; n * profile.SamplesPerFrame < 25 * VoiceFormat.SampleRate; n++)
        {
            var timestamp = sender.NextTimestamp;
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = s_speech[((n * frame.Length) + i) % s_speech.Length];
            }

            var length = sender.EncodeFrame(frame, packet);
            Assert.True(Codec.Packets.AudioPacketFormat.TryRead(packet.AsSpan(0, length), out var reader, out _));
            var samples = decoder.Decode(reader.Primary, pcm);
            if (dropEvery > 0 && n % dropEvery == 0)
            {
                pcm.AsSpan(0, samples).Clear();
            }

            played.Played(pcm.AsSpan(0, samples), timestamp);
        }

        return [.. played.Scores()];
    }
}
