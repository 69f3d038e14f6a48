namespace Collab.Codec.Intelligibility;

/// <summary>
/// The time-frequency front end shared by STOI and ESTOI: a short-time DFT with 256-sample
/// Hann frames, a 128-sample hop (frame starts 0, 128, ... while start &lt; length - 256, as the
/// reference's <c>stdft</c>) and 512-point zero-padded FFTs, then the one-third-octave band
/// magnitudes of each frame (Eq. (1) of Taal et al. 2011).
/// </summary>
internal static class ThirdOctaveSpectrogram
{
    private static readonly RadixTwoFft s_fft = new(StoiParameters.FftSize);

    /// <summary>
    /// Band envelopes of <paramref name="signal"/>: result[band][frame].
    /// </summary>
    public static double[][] Compute(ReadOnlySpan<double> signal)
    {
        const int FrameLength = StoiParameters.FrameLength;
        int frameCount = SilentFrameRemoval.FrameCount(signal.Length);
        var bands = new double[StoiParameters.BandCount][];
        for (int k = 0; k < bands.Length; k++)
        {
            bands[k] = new double[frameCount];
        }

        ReadOnlySpan<double> window = HannWindow.Frame;
        Span<double> windowed = stackalloc double[FrameLength];
        Span<double> real = stackalloc double[StoiParameters.FftSize];
        Span<double> imaginary = stackalloc double[StoiParameters.FftSize];
        Span<double> power = stackalloc double[StoiParameters.BinCount];
        Span<double> magnitudes = stackalloc double[StoiParameters.BandCount];
        for (int f = 0; f < frameCount; f++)
        {
            ReadOnlySpan<double> frame = signal.Slice(f * StoiParameters.Hop, FrameLength);
            for (int n = 0; n < FrameLength; n++)
            {
                windowed[n] = window[n] * frame[n];
            }

            s_fft.RealPowerSpectrum(windowed, power, real, imaginary);
            OneThirdOctaveBands.Apply(power, magnitudes);
            for (int k = 0; k < magnitudes.Length; k++)
            {
                bands[k][f] = magnitudes[k];
            }
        }

        return bands;
    }
}
