namespace Collab.Codec.Intelligibility;

/// <summary>
/// The STOI back end (Taal et al. 2011, Eqs. (2)-(6)): for every short-time segment of
/// N = 30 frames and every band, the degraded envelope is scaled to the clean envelope's energy,
/// clipped to at most (1 + 10^(-beta/20)) times the clean envelope (beta = -15 dB), and
/// correlated with the clean envelope; the result is the mean correlation over all segments
/// and bands. The normalisations add numpy's eps to the norms exactly where pystoi does.
/// </summary>
internal static class StoiMeasure
{
    public static double Compute(double[][] clean, double[][] degraded)
    {
        const int N = StoiParameters.SegmentLength;
        int frameCount = clean[0].Length;
        int segmentCount = frameCount - N + 1;
        double clipFactor = 1.0 + Math.Pow(10.0, -StoiParameters.Beta / 20.0);
        Span<double> clipped = stackalloc double[N];
        double total = 0.0;

        for (int band = 0; band < StoiParameters.BandCount; band++)
        {
            ReadOnlySpan<double> cleanBand = clean[band];
            ReadOnlySpan<double> degradedBand = degraded[band];
            for (int segment = 0; segment < segmentCount; segment++)
            {
                ReadOnlySpan<double> x = cleanBand.Slice(segment, N);
                ReadOnlySpan<double> y = degradedBand.Slice(segment, N);

                double cleanEnergy = 0.0;
                double degradedEnergy = 0.0;
                for (int n = 0; n < N; n++)
                {
                    cleanEnergy += x[n] * x[n];
                    degradedEnergy += y[n] * y[n];
                }

                double alpha = Math.Sqrt(cleanEnergy) / (Math.Sqrt(degradedEnergy) + StoiParameters.Epsilon);
                double clippedMean = 0.0;
                double cleanMean = 0.0;
                for (int n = 0; n < N; n++)
                {
                    clipped[n] = Math.Min(alpha * y[n], clipFactor * x[n]);
                    clippedMean += clipped[n];
                    cleanMean += x[n];
                }

                clippedMean /= N;
                cleanMean /= N;
                total += Correlation(x, cleanMean, clipped, clippedMean);
            }
        }

        return total / ((double)segmentCount * StoiParameters.BandCount);
    }

    /// <summary>Sample correlation coefficient with eps added to both centred norms.</summary>
    private static double Correlation(ReadOnlySpan<double> x, double xMean, ReadOnlySpan<double> y, double yMean)
    {
        double cross = 0.0;
        double xx = 0.0;
        double yy = 0.0;
        for (int n = 0; n < x.Length; n++)
        {
            double a = x[n] - xMean;
            double b = y[n] - yMean;
            cross += a * b;
            xx += a * a;
            yy += b * b;
        }

        return cross / ((Math.Sqrt(xx) + StoiParameters.Epsilon) * (Math.Sqrt(yy) + StoiParameters.Epsilon));
    }
}
