using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests.Intelligibility;

public sealed class SpeechIntelligibilityTests
{
    private static readonly double[] s_snrsDb = [30.0, 20.0, 10.0, 5.0, 0.0, -5.0, -10.0];

    [Theory]
    [InlineData(10000)]
    [InlineData(16000)]
    [InlineData(48000)]
    public void Identical_signals_score_one(int sampleRate)
    {
        float[] speech = TestSignals.SpeechLike(sampleRate);

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, speech, sampleRate);

        Assert.Equal(1.0, score.Stoi, 1e-6);
        Assert.Equal(1.0, score.ExtendedStoi, 1e-6);
    }

    [Fact]
    public void Identical_real_speech_scores_one()
    {
        (float[] speech, int rate) = TestSignals.Fixture("speech_48000.wav");

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, speech, rate);

        Assert.Equal(1.0, score.Stoi, 1e-6);
        Assert.Equal(1.0, score.ExtendedStoi, 1e-6);
    }

    [Fact]
    public void Scaled_degraded_signal_scores_one()
    {
        // Both measures normalise each envelope segment, so a gain change is invisible.
        float[] speech = TestSignals.SpeechLike(16000);
        float[] quieter = Array.ConvertAll(speech, s => s * 0.25f);

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, quieter, 16000);

        Assert.Equal(1.0, score.Stoi, 1e-6);
        Assert.Equal(1.0, score.ExtendedStoi, 1e-6);
    }

    [Fact]
    public void Stoi_and_extended_stoi_fall_monotonically_with_white_noise_snr_on_speech_like_signal()
    {
        float[] speech = TestSignals.SpeechLike(16000);
        AssertMonotonicallyFalling(speech, 16000);
    }

    [Fact]
    public void Stoi_and_extended_stoi_fall_monotonically_with_white_noise_snr_on_real_speech()
    {
        (float[] speech, int rate) = TestSignals.Fixture("speech_22050.wav");
        AssertMonotonicallyFalling(speech, rate);
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(0.0)]
    [InlineData(-10.0)]
    [InlineData(-30.0)]
    public void Scores_stay_within_the_unit_range(double snrDb)
    {
        float[] speech = TestSignals.SpeechLike(10000);

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, TestSignals.WithWhiteNoise(speech, snrDb), 10000);

        // Both are means of correlation coefficients, so [-1, 1] is the hard bound; sensible
        // scores lie in [0, 1], with ESTOI allowed a little below 0 by chance when the speech is
        // drowned (it is about -0.02 at -30 dB).
        Assert.InRange(score.Stoi, 0.0, 1.0);
        Assert.InRange(score.ExtendedStoi, -0.05, 1.0);
    }

    [Fact]
    public void Pure_noise_scores_far_below_clean_speech()
    {
        (float[] speech, int rate) = TestSignals.Fixture("speech_10000.wav");

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, TestSignals.WhiteNoise(speech.Length, 0.1), rate);

        // STOI has a floor well above 0 for stationary noise: clipping the scaled noise envelope at
        // 6.6 times the clean envelope makes it follow the clean envelope in the speech dips
        // (about 0.41 here). ESTOI has no clipping and sits at chance.
        Assert.InRange(score.Stoi, 0.0, 0.5);
        Assert.InRange(score.ExtendedStoi, -0.1, 0.1);
    }

    [Fact]
    public void Real_speech_delayed_by_half_a_second_scores_low()
    {
        (float[] speech, int rate) = TestSignals.Fixture("speech_48000.wav");

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, TestSignals.Delayed(speech, rate / 2), rate);

        Assert.InRange(score.Stoi, -0.1, 0.25);
        Assert.InRange(score.ExtendedStoi, -0.1, 0.1);
    }

    [Fact]
    public void Speech_like_signal_delayed_by_half_a_second_scores_low()
    {
        // The synthetic signal is more regular than speech, so its STOI floor is higher (about 0.29).
        float[] speech = TestSignals.SpeechLike(16000);

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, TestSignals.Delayed(speech, 8000), 16000);

        Assert.InRange(score.Stoi, -0.1, 0.4);
        Assert.InRange(score.ExtendedStoi, -0.1, 0.1);
    }

    [Fact]
    public void Real_speech_at_48000_22050_16000_and_10000_hz_scores_alike()
    {
        // One noisy mix made at 48 kHz, brought to the other rates by Concentus's Speex resampler (quality 10), whose
        // band edge sits lower than sox's: over the whole sample the measured spread across rates is below 0.01 (STOI)
        // and 0.016 (ESTOI); with sox-resampled copies it was below 1e-5.
        IntelligibilityScore reference = ScoreFixture(10000);
        Assert.InRange(reference.Stoi, 0.6, 0.95);
        foreach (int rate in new[] { 48000, 22050, 16000 })
        {
            IntelligibilityScore score = ScoreFixture(rate);
            Assert.Equal(reference.Stoi, score.Stoi, 0.01);
            Assert.Equal(reference.ExtendedStoi, score.ExtendedStoi, 0.02);
        }
    }

    [Fact]
    public void Speech_like_signal_with_competing_talker_scores_alike_at_every_rate()
    {
        // Both signals are defined in continuous time and band-limited to 4.5 kHz, so every rate
        // above 9 kHz carries identical content and only the resampler can make the scores differ.
        IntelligibilityScore reference = ScoreCompetingTalker(10000);
        Assert.InRange(reference.Stoi, 0.6, 0.95);
        foreach (int rate in new[] { 48000, 44100, 22050, 16000 })
        {
            IntelligibilityScore score = ScoreCompetingTalker(rate);
            Assert.Equal(reference.Stoi, score.Stoi, 1e-3);
            Assert.Equal(reference.ExtendedStoi, score.ExtendedStoi, 1e-3);
        }
    }

    [Theory]
    [InlineData(10000, 0.802042269007430, 0.529526034744327)]
    [InlineData(16000, 0.806831980810974, 0.522181412350211)]
    [InlineData(22050, 0.806962672869990, 0.526193737650370)]
    [InlineData(48000, 0.802151350641321, 0.529421442820052)]
    public void Matches_a_literal_python_transcription_of_pystoi(int rate, double expectedStoi, double expectedEstoi)
    {
        // Expected values from pystoi_transcription.py (beside this file): pystoi's steps transcribed line by line
        // into plain Python (scipy resample_poly via the upfirdn definition, recursive FFT, ESTOI without the
        // random eps jitter), run on the first 2 s of these fixtures written as 16-bit WAVs.
        (float[] clean, _) = TestSignals.Fixture($"speech_{rate}.wav");
        (float[] noisy, _) = TestSignals.Fixture($"noisy_{rate}.wav");
        int length = 2 * rate;

        IntelligibilityScore score = SpeechIntelligibility.Score(clean.AsSpan(0, length), noisy.AsSpan(0, length), rate);

        Assert.Equal(expectedStoi, score.Stoi, 1e-9);
        Assert.Equal(expectedEstoi, score.ExtendedStoi, 1e-9);
    }

    [Fact]
    public void Score_agrees_with_the_single_measure_methods()
    {
        float[] speech = TestSignals.SpeechLike(22050);
        float[] noisy = TestSignals.WithWhiteNoise(speech, 0.0);

        IntelligibilityScore score = SpeechIntelligibility.Score(speech, noisy, 22050);

        Assert.Equal(score.Stoi, SpeechIntelligibility.Stoi(speech, noisy, 22050));
        Assert.Equal(score.ExtendedStoi, SpeechIntelligibility.ExtendedStoi(speech, noisy, 22050));
    }

    [Fact]
    public void Signals_of_different_lengths_are_truncated_to_the_shorter()
    {
        float[] speech = TestSignals.SpeechLike(16000);
        float[] noisy = TestSignals.WithWhiteNoise(speech, 5.0);
        float[] longer = [.. noisy, .. new float[1234]];
        float[] shorterClean = speech[..^1000];

        IntelligibilityScore expected = SpeechIntelligibility.Score(speech, noisy, 16000);
        IntelligibilityScore expectedShort = SpeechIntelligibility.Score(shorterClean, noisy[..^1000], 16000);

        Assert.Equal(expected, SpeechIntelligibility.Score(speech, longer, 16000));
        Assert.Equal(expectedShort, SpeechIntelligibility.Score(shorterClean, noisy, 16000));
    }

    [Fact]
    public void Too_short_signal_throws_argument_exception()
    {
        // 0.3 s holds fewer than 30 STFT frames at 10 kHz (30 frames need 29 * 128 + 257 samples).
        float[] speech = TestSignals.SpeechLike(10000, seconds: 4.0)[1500..4500];

        var error = Assert.Throws<ArgumentException>(() => SpeechIntelligibility.Score(speech, speech, 10000));
        Assert.Contains("30-frame segment", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SpeechIntelligibility.Stoi(speech.AsSpan(0, 100), speech.AsSpan(0, 100), 10000));
        Assert.Throws<ArgumentException>(() => SpeechIntelligibility.ExtendedStoi([], [], 48000));
    }

    [Fact]
    public void Mostly_silent_signal_throws_when_too_little_speech_remains()
    {
        // 4 s long, but only a 0.2 s burst is within 40 dB of the loudest frame.
        var signal = new float[40000];
        float[] burst = TestSignals.SpeechLike(10000)[2000..4000];
        burst.CopyTo(signal, 20000);

        Assert.Throws<ArgumentException>(() => SpeechIntelligibility.Score(signal, signal, 10000));
    }

    [Fact]
    public void Invalid_inputs_throw_argument_exceptions()
    {
        float[] speech = TestSignals.SpeechLike(10000);
        float[] withNaN = (float[])speech.Clone();
        withNaN[5000] = float.NaN;

        Assert.Throws<ArgumentException>(() => SpeechIntelligibility.Score(new float[40000], speech, 10000));
        Assert.Throws<ArgumentException>(() => SpeechIntelligibility.Score(speech, withNaN, 10000));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeechIntelligibility.Score(speech, speech, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeechIntelligibility.Score(speech, speech, 44101));
    }

    private static void AssertMonotonicallyFalling(float[] speech, int rate)
    {
        var scores = s_snrsDb
            .Select(snr => SpeechIntelligibility.Score(speech, TestSignals.WithWhiteNoise(speech, snr), rate))
            .ToArray();
        for (int i = 1; i < scores.Length; i++)
        {
            Assert.True(scores[i].Stoi < scores[i - 1].Stoi, $"STOI at {s_snrsDb[i]} dB ({scores[i].Stoi}) is not below {s_snrsDb[i - 1]} dB ({scores[i - 1].Stoi}).");
            Assert.True(scores[i].ExtendedStoi < scores[i - 1].ExtendedStoi, $"ESTOI at {s_snrsDb[i]} dB ({scores[i].ExtendedStoi}) is not below {s_snrsDb[i - 1]} dB ({scores[i - 1].ExtendedStoi}).");
        }

        Assert.True(scores[0].Stoi > 0.99, $"STOI at 30 dB is {scores[0].Stoi}.");
        Assert.True(scores[^1].Stoi < 0.8, $"STOI at -10 dB is {scores[^1].Stoi}.");
        Assert.True(scores[^1].ExtendedStoi < 0.5, $"ESTOI at -10 dB is {scores[^1].ExtendedStoi}.");
    }

    private static IntelligibilityScore ScoreFixture(int rate)
    {
        (float[] clean, int cleanRate) = TestSignals.Fixture($"speech_{rate}.wav");
        (float[] noisy, int noisyRate) = TestSignals.Fixture($"noisy_{rate}.wav");
        Assert.Equal(rate, cleanRate);
        Assert.Equal(rate, noisyRate);
        return SpeechIntelligibility.Score(clean, noisy, rate);
    }

    private static IntelligibilityScore ScoreCompetingTalker(int rate)
    {
        float[] target = TestSignals.SpeechLike(rate);
        float[] mixture = TestSignals.Mix(target, TestSignals.SpeechLike(rate, seed: 99));
        return SpeechIntelligibility.Score(target, mixture, rate);
    }
}
