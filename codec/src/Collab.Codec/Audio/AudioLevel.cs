namespace Collab.Codec.Audio;

/// <summary>
/// Audio level in -dBov as RFC 6464 carries it: 0 is full scale, 127 is silence (or quieter than -127 dBov).
/// The hub reads it from packet headers to find active speakers without decoding.
/// </summary>
public static class AudioLevel
{
    public const byte Silence = 127;

    /// <summary>Level of one frame from its RMS relative to a full-scale 16-bit square wave.</summary>
    public static byte Measure(ReadOnlySpan<short> pcm)
    {
        if (pcm.IsEmpty)
        {
            return Silence;
        }

        double sumOfSquares = 0;
        foreach (var sample in pcm)
        {
            sumOfSquares += (double)sample * sample;
        }

        var rms = Math.Sqrt(sumOfSquares / pcm.Length) / 32768.0;
        if (rms <= 0)
        {
            return Silence;
        }

        var dbov = -20 * Math.Log10(rms);
        return (byte)Math.Clamp((int)Math.Round(dbov), 0, Silence);
    }

    /// <summary>Levels above this (quieter than -50 dBov) are treated as not speaking.</summary>
    public const byte SpeakingThreshold = 50;
}
