namespace Collab.Codec.Intelligibility;

/// <summary>
/// Drops the frames in which the clean signal is silent, as the reference's
/// <c>removeSilentFrames</c> / pystoi's <c>remove_silent_frames</c>: both signals are cut into
/// Hann-windowed 256-sample frames with a 128-sample hop (frame starts 0, 128, ... while
/// start &lt; length - 256), a frame is kept when its clean energy
/// 20 log10(||w x|| + eps) is strictly greater than that of the loudest clean frame minus 40 dB,
/// and the kept windowed frames of each signal are overlap-added back to back.
/// The decision uses the clean signal only; the degraded frames follow it.
/// </summary>
internal static class SilentFrameRemoval
{
    /// <summary>Number of analysis frames the reference takes from a signal of this length.</summary>
    public static int FrameCount(int length) =>
        length <= StoiParameters.FrameLength ? 0 : ((length - StoiParameters.FrameLength - 1) / StoiParameters.Hop) + 1;

    /// <summary>
    /// Returns the clean and degraded signals without the silent frames, each of length
    /// (kept - 1) * 128 + 256. Both inputs must have the same length.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The signals are not longer than one frame, or the clean signal is digital silence.
    /// </exception>
    public static (double[] Clean, double[] Degraded) Apply(ReadOnlySpan<double> clean, ReadOnlySpan<double> degraded)
    {
        if (clean.Length != degraded.Length)
        {
            throw new ArgumentException("The clean and degraded signals must have the same length.", nameof(degraded));
        }

        const int FrameLength = StoiParameters.FrameLength;
        const int Hop = StoiParameters.Hop;
        int frameCount = FrameCount(clean.Length);
        if (frameCount == 0)
        {
            throw new ArgumentException(
                $"The signals are too short: {clean.Length} samples at {StoiParameters.SampleRate} Hz do not hold one " +
                $"{FrameLength}-sample analysis frame.",
                nameof(clean));
        }

        ReadOnlySpan<double> window = HannWindow.Frame;
        var energiesDb = new double[frameCount];
        double loudestNorm = 0.0;
        for (int f = 0; f < frameCount; f++)
        {
            ReadOnlySpan<double> frame = clean.Slice(f * Hop, FrameLength);
            double sumOfSquares = 0.0;
            for (int n = 0; n < FrameLength; n++)
            {
                double v = window[n] * frame[n];
                sumOfSquares += v * v;
            }

            double norm = Math.Sqrt(sumOfSquares);
            loudestNorm = Math.Max(loudestNorm, norm);
            energiesDb[f] = 20.0 * Math.Log10(norm + StoiParameters.Epsilon);
        }

        if (loudestNorm == 0.0)
        {
            throw new ArgumentException("The clean signal is digital silence; intelligibility is undefined.", nameof(clean));
        }

        double threshold = energiesDb.Max() - StoiParameters.DynamicRange;
        int kept = 0;
        for (int f = 0; f < frameCount; f++)
        {
            if (energiesDb[f] > threshold)
            {
                kept++;
            }
        }

        // The loudest frame always passes, so kept >= 1.
        int outputLength = ((kept - 1) * Hop) + FrameLength;
        var cleanOut = new double[outputLength];
        var degradedOut = new double[outputLength];
        int slot = 0;
        for (int f = 0; f < frameCount; f++)
        {
            if (energiesDb[f] <= threshold)
            {
                continue;
            }

            int source = f * Hop;
            int target = slot * Hop;
            for (int n = 0; n < FrameLength; n++)
            {
                cleanOut[target + n] += window[n] * clean[source + n];
                degradedOut[target + n] += window[n] * degraded[source + n];
            }

            slot++;
        }

        return (cleanOut, degradedOut);
    }
}
