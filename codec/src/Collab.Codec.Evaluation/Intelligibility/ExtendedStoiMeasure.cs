namespace Collab.Codec.Intelligibility;

/// <summary>
/// The ESTOI back end (Jensen &amp; Taal 2016): every short-time segment (15 bands by N = 30
/// frames) of each signal is first row-normalised (each band's envelope to zero mean and unit
/// norm over the segment), then column-normalised (each frame's band vector to zero mean and
/// unit norm); the segment's score is the mean over its N frames of the inner products of the
/// clean and degraded column vectors, and the result is the mean over segments.
/// </summary>
/// <remarks>
/// The reference adds eps-scaled Gaussian noise before each normalisation to avoid dividing
/// by zero, which makes it non-deterministic. This implementation is deterministic: it divides
/// by (norm + eps) instead, so an all-zero row or column stays zero and contributes nothing.
/// The two agree to rounding error except on such degenerate segments.
/// </remarks>
internal static class ExtendedStoiMeasure
{
    public static double Compute(double[][] clean, double[][] degraded)
    {
        const int N = StoiParameters.SegmentLength;
        const int J = StoiParameters.BandCount;
        int frameCount = clean[0].Length;
        int segmentCount = frameCount - N + 1;
        Span<double> x = stackalloc double[J * N];
        Span<double> y = stackalloc double[J * N];
        double total = 0.0;

        for (int segment = 0; segment < segmentCount; segment++)
        {
            Normalise(clean, segment, x);
            Normalise(degraded, segment, y);
            double inner = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                inner += x[i] * y[i];
            }

            total += inner / N;
        }

        return total / segmentCount;
    }

    /// <summary>
    /// Copies the segment starting at frame <paramref name="start"/> into <paramref name="matrix"/>
    /// (band-major: matrix[band * N + frame]) and row- then column-normalises it.
    /// </summary>
    private static void Normalise(double[][] bands, int start, Span<double> matrix)
    {
        const int N = StoiParameters.SegmentLength;
        const int J = StoiParameters.BandCount;

        for (int band = 0; band < J; band++)
        {
            Span<double> row = matrix.Slice(band * N, N);
            bands[band].AsSpan(start, N).CopyTo(row);
            double mean = 0.0;
            for (int n = 0; n < N; n++)
            {
                mean += row[n];
            }

            mean /= N;
            double sumOfSquares = 0.0;
            for (int n = 0; n < N; n++)
            {
                row[n] -= mean;
                sumOfSquares += row[n] * row[n];
            }

            double scale = 1.0 / (Math.Sqrt(sumOfSquares) + StoiParameters.Epsilon);
            for (int n = 0; n < N; n++)
            {
                row[n] *= scale;
            }
        }

        for (int frame = 0; frame < N; frame++)
        {
            double mean = 0.0;
            for (int band = 0; band < J; band++)
            {
                mean += matrix[(band * N) + frame];
            }

            mean /= J;
            double sumOfSquares = 0.0;
            for (int band = 0; band < J; band++)
            {
                double v = matrix[(band * N) + frame] - mean;
                matrix[(band * N) + frame] = v;
                sumOfSquares += v * v;
            }

            double scale = 1.0 / (Math.Sqrt(sumOfSquares) + StoiParameters.Epsilon);
            for (int band = 0; band < J; band++)
            {
                matrix[(band * N) + frame] *= scale;
            }
        }
    }
}
