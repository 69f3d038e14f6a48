using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests.Intelligibility;

/// <summary>Deterministic test signals and degradations.</summary>
internal static class TestSignals
{
    /// <summary>
    /// "speech_RATE.wav" is the committed speech sample and "noisy_RATE.wav" the same with seeded white noise
    /// (uniform, ±0.3 full scale, as sox's <c>synth whitenoise vol 0.3</c>), mixed at 48 kHz and brought to RATE with
    /// Concentus's Speex resampler, a resampler independent of the one STOI uses.
    /// </summary>
    public static (float[] Samples, int SampleRate) Fixture(string name)
    {
        var parts = Path.GetFileNameWithoutExtension(name).Split('_');
        var rate = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var speech = Audio.WaveFiles.ToFloat(SpeechSample.Pcm);
        if (parts[0] == "noisy")
        {
            var random = new Random(5561687);
            speech = Array.ConvertAll(speech, s => s + (float)((random.NextDouble() * 0.6) - 0.3));
        }

        var atRate = rate == VoiceFormat.SampleRate ? speech : ResampleFrom48k(speech, rate);

        // On the 16-bit grid, as if read from a WAV file, so pystoi_transcription.py can score the very same samples.
        return (Array.ConvertAll(atRate, s => Math.Clamp(MathF.Round(s * 32768f), -32768f, 32767f) / 32768f), rate);
    }

    private static float[] ResampleFrom48k(float[] input, int rate)
    {
        using var resampler = Concentus.ResamplerFactory.CreateResampler(1, VoiceFormat.SampleRate, rate, 10);
        var output = new float[(int)((long)input.Length * rate / VoiceFormat.SampleRate) + 1024];
        var inLength = input.Length;
        var outLength = output.Length;
        resampler.Process(0, input, ref inLength, output, ref outLength);
        return output[..outLength];
    }

    /// <summary>
    /// A speech-like signal defined in continuous time, so every sample rate sees the same content:
    /// a train of voiced "syllables" (harmonics of a gliding 95-210 Hz fundamental, shaped by three
    /// moving formants and a spectral tilt, band-limited to 4.5 kHz) with raised-cosine onsets and
    /// offsets, separated by short pauses, plus longer pauses between "words".
    /// </summary>
    public static float[] SpeechLike(int sampleRate, double seconds = 4.0, int seed = 20110101)
    {
        const double MaxFrequency = 4500.0;
        var syllables = new List<(double Start, double Length, double F0a, double F0b, double F1, double F2, double F3, double Gain)>();
        var random = new Random(seed);
        double t = 0.15;
        for (int i = 0; i < 200 && t < seconds - 0.3; i++)
        {
            double length = 0.12 + (0.18 * random.NextDouble());
            double f0a = 95.0 + (115.0 * random.NextDouble());
            double f0b = f0a * (0.8 + (0.4 * random.NextDouble()));
            double f1 = 300.0 + (500.0 * random.NextDouble());
            double f2 = 900.0 + (1400.0 * random.NextDouble());
            double f3 = 2300.0 + (900.0 * random.NextDouble());
            double gain = 0.5 + (0.5 * random.NextDouble());
            syllables.Add((t, length, f0a, f0b, f1, f2, f3, gain));
            t += length + 0.04 + (0.06 * random.NextDouble()) + (i % 4 == 3 ? 0.25 : 0.0);
        }

        var samples = new float[(int)(seconds * sampleRate)];
        foreach (var s in syllables)
        {
            int first = (int)Math.Ceiling(s.Start * sampleRate);
            int last = Math.Min(samples.Length - 1, (int)Math.Floor((s.Start + s.Length) * sampleRate));
            int harmonics = (int)(MaxFrequency / Math.Max(s.F0a, s.F0b));
            var weights = new double[harmonics + 1];
            for (int h = 1; h <= harmonics; h++)
            {
                double f = h * 0.5 * (s.F0a + s.F0b);
                weights[h] = s.Gain * 0.08 / (1.0 + (f / 400.0))
                    * (Resonance(f, s.F1, 80.0) + (0.6 * Resonance(f, s.F2, 120.0)) + (0.3 * Resonance(f, s.F3, 180.0)) + 0.05);
            }

            for (int n = first; n <= last; n++)
            {
                double local = ((double)n / sampleRate) - s.Start;
                double envelope = Math.Sin(Math.PI * local / s.Length);
                envelope *= envelope;
                double phase = 2.0 * Math.PI * ((s.F0a * local) + ((s.F0b - s.F0a) * local * local / (2.0 * s.Length)));
                double value = 0.0;
                for (int h = 1; h <= harmonics; h++)
                {
                    value += weights[h] * Math.Sin(h * phase);
                }

                samples[n] += (float)(envelope * value);
            }
        }

        return samples;
    }

    /// <summary>Seeded Gaussian white noise with the given RMS.</summary>
    public static float[] WhiteNoise(int length, double rms, int seed = 11)
    {
        var random = new Random(seed);
        var noise = new float[length];
        for (int i = 0; i < noise.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            noise[i] = (float)(rms * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return noise;
    }

    /// <summary>Adds Gaussian white noise (seeded) scaled to the given SNR over the whole signal.</summary>
    public static float[] WithWhiteNoise(float[] clean, double snrDb, int seed = 7)
    {
        var random = new Random(seed);
        var noise = new double[clean.Length];
        double noisePower = 0.0;
        double signalPower = 0.0;
        for (int i = 0; i < noise.Length; i++)
        {
            // Box-Muller.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            noise[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            noisePower += noise[i] * noise[i];
            signalPower += (double)clean[i] * clean[i];
        }

        double scale = Math.Sqrt(signalPower / noisePower / Math.Pow(10.0, snrDb / 10.0));
        var degraded = new float[clean.Length];
        for (int i = 0; i < degraded.Length; i++)
        {
            degraded[i] = (float)(clean[i] + (scale * noise[i]));
        }

        return degraded;
    }

    /// <summary>Sample-wise sum of two signals of equal length.</summary>
    public static float[] Mix(float[] a, float[] b)
    {
        var sum = new float[a.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }

    /// <summary>The signal delayed by <paramref name="delaySamples"/> (zeros in front), same length.</summary>
    public static float[] Delayed(float[] signal, int delaySamples)
    {
        var delayed = new float[signal.Length];
        signal.AsSpan(0, signal.Length - delaySamples).CopyTo(delayed.AsSpan(delaySamples));
        return delayed;
    }

    private static double Resonance(double f, double centre, double bandwidth)
    {
        double x = (f - centre) / bandwidth;
        return 1.0 / Math.Sqrt(1.0 + (x * x));
    }
}
