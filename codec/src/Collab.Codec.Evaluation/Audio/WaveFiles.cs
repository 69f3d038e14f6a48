using Concentus;
using NAudio.Wave;

namespace Collab.Codec.Audio;

/// <summary>Reads and writes speech as Collab's PCM format (48 kHz mono 16-bit), converting what it reads.</summary>
public static class WaveFiles
{
    /// <summary>Reads a PCM or IEEE-float WAV file, mixes it to mono and resamples it to 48 kHz.</summary>
    public static short[] ReadVoice(string path)
    {
        using var reader = new WaveFileReader(path);
        var provider = reader.ToSampleProvider();
        var channels = provider.WaveFormat.Channels;
        var interleaved = new List<float>((int)Math.Min(reader.SampleCount * channels, int.MaxValue));
        var buffer = new float[4096 * channels];
        int read;
        while ((read = provider.Read(buffer, 0, buffer.Length)) > 0)
        {
            interleaved.AddRange(buffer.AsSpan(0, read));
        }

        var mono = new short[interleaved.Count / channels];
        for (var i = 0; i < mono.Length; i++)
        {
            float sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += interleaved[(i * channels) + c];
            }

            mono[i] = ToPcm16(sum / channels);
        }

        return provider.WaveFormat.SampleRate == VoiceFormat.SampleRate ? mono : Resample(mono, provider.WaveFormat.SampleRate);
    }

    /// <summary>Writes 48 kHz mono 16-bit PCM.</summary>
    public static void WriteVoice(string path, ReadOnlySpan<short> samples)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(VoiceFormat.SampleRate, 16, 1));
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            bytes[2 * i] = (byte)samples[i];
            bytes[(2 * i) + 1] = (byte)(samples[i] >> 8);
        }

        writer.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Samples as floats in [-1, 1).</summary>
    public static float[] ToFloat(ReadOnlySpan<short> samples)
    {
        var result = new float[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i] / 32768f;
        }

        return result;
    }

    private static short[] Resample(short[] input, int inputRate)
    {
        using var resampler = ResamplerFactory.CreateResampler(1, inputRate, VoiceFormat.SampleRate, 10);
        var output = new short[(int)((long)input.Length * VoiceFormat.SampleRate / inputRate) + 1024];
        var inLength = input.Length;
        var outLength = output.Length;
        resampler.Process(0, input, ref inLength, output, ref outLength);
        return output[..outLength];
    }

    private static short ToPcm16(float sample) => (short)Math.Clamp(MathF.Round(sample * 32767f), short.MinValue, short.MaxValue);
}
