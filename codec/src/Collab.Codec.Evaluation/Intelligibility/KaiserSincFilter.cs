namespace Collab.Codec.Intelligibility;

/// <summary>
/// Designs the anti-aliasing low-pass filter of a rational resampler the way GNU Octave's
/// <c>resample</c> does (and pystoi's <c>resample_oct</c> after it): a Kaiser-windowed ideal
/// sinc with 60 dB stop-band rejection, cut-off at the lower of the two Nyquist rates and a
/// roll-off band one tenth of that cut-off wide.
/// </summary>
internal static class KaiserSincFilter
{
    private const double RejectionDb = 60.0;
    private const int MaxBesselTerms = 500;

    /// <summary>
    /// Returns the filter taps at the up-sampled rate (odd length 2L + 1, linear phase, centre at
    /// index L), scaled so that every polyphase branch has unit DC gain: the taps sum to
    /// <paramref name="up"/>, as after scipy's <c>resample_poly</c> multiplies the normalised
    /// window by the up-sampling factor.
    /// </summary>
    /// <param name="up">Up-sampling factor, already reduced by the greatest common divisor.</param>
    /// <param name="down">Down-sampling factor, already reduced by the greatest common divisor.</param>
    public static double[] Design(int up, int down)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(up, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(down, 1);

        // Cut-off and roll-off in cycles per up-sampled sample.
        double stopbandCutoff = 1.0 / (2.0 * Math.Max(up, down));
        double rollOffWidth = stopbandCutoff / 10.0;

        // Kaiser's length estimate, expressed as the half length L.
        int halfLength = (int)Math.Ceiling((RejectionDb - 8.0) / (28.714 * rollOffWidth));

        // Kaiser's beta for a rejection above 50 dB.
        double beta = 0.1102 * (RejectionDb - 8.7);
        double besselOfBeta = BesselI0(beta);

        var taps = new double[(2 * halfLength) + 1];
        double sum = 0.0;
        for (int t = -halfLength; t <= halfLength; t++)
        {
            double ideal = 2.0 * up * stopbandCutoff * Sinc(2.0 * stopbandCutoff * t);
            double ratio = (double)t / halfLength;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0.0, 1.0 - (ratio * ratio)))) / besselOfBeta;
            double tap = ideal * window;
            taps[t + halfLength] = tap;
            sum += tap;
        }

        double scale = up / sum;
        for (int i = 0; i < taps.Length; i++)
        {
            taps[i] *= scale;
        }

        return taps;
    }

    /// <summary>Normalised sinc, sin(pi x) / (pi x), as numpy's <c>sinc</c>.</summary>
    internal static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        double piX = Math.PI * x;
        return Math.Sin(piX) / piX;
    }

    /// <summary>Modified Bessel function of the first kind, order zero, by its power series.</summary>
    internal static double BesselI0(double x)
    {
        double halfX = 0.5 * x;
        double term = 1.0;
        double sum = 1.0;
        for (int k = 1; k <= MaxBesselTerms; k++)
        {
            double factor = halfX / k;
            term *= factor * factor;
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
