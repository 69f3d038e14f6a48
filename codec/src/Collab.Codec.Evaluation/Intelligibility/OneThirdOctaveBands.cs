namespace Collab.Codec.Intelligibility;

/// <summary>
/// The one-third-octave band matrix of the reference's <c>thirdoct</c>: 15 bands with centre
/// frequencies 150 * 2^(k/3) Hz, each summing the power of the FFT bins from the bin nearest its
/// lower edge 150 * 2^((2k - 1)/6) Hz up to, but excluding, the bin nearest its upper edge
/// 150 * 2^((2k + 1)/6) Hz, on the grid f_i = i * 10000 / 512 Hz (ties go to the lower bin,
/// as numpy's <c>argmin</c>). The bands are contiguous and span bins 7 .. 218 (137 Hz to 4.26 kHz).
/// </summary>
internal static class OneThirdOctaveBands
{
    private static readonly int[] s_lowBins = new int[StoiParameters.BandCount];
    private static readonly int[] s_highBins = new int[StoiParameters.BandCount];

#pragma warning disable CA1810 // Both tables come from one loop; a static constructor keeps them together.
    static OneThirdOctaveBands()
#pragma warning restore CA1810
    {
        for (int k = 0; k < StoiParameters.BandCount; k++)
        {
            double lowEdge = StoiParameters.LowestCentreFrequency * Math.Pow(2.0, ((2.0 * k) - 1.0) / 6.0);
            double highEdge = StoiParameters.LowestCentreFrequency * Math.Pow(2.0, ((2.0 * k) + 1.0) / 6.0);
            s_lowBins[k] = NearestBin(lowEdge);
            s_highBins[k] = NearestBin(highEdge);
        }
    }

    /// <summary>First FFT bin of <paramref name="band"/>.</summary>
    public static int LowBin(int band) => s_lowBins[band];

    /// <summary>One past the last FFT bin of <paramref name="band"/>.</summary>
    public static int HighBin(int band) => s_highBins[band];

    /// <summary>Nominal centre frequency of <paramref name="band"/> in Hz.</summary>
    public static double CentreFrequency(int band) =>
        StoiParameters.LowestCentreFrequency * Math.Pow(Math.Pow(2.0, 1.0 / 3.0), band);

    /// <summary>
    /// Band magnitudes sqrt(sum of bin powers) of one frame's one-sided power spectrum.
    /// </summary>
    public static void Apply(ReadOnlySpan<double> power, Span<double> bandMagnitudes)
    {
        if (power.Length != StoiParameters.BinCount || bandMagnitudes.Length != StoiParameters.BandCount)
        {
            throw new ArgumentException(
                $"Expected {StoiParameters.BinCount} bin powers and room for {StoiParameters.BandCount} bands.",
                nameof(power));
        }

        for (int k = 0; k < StoiParameters.BandCount; k++)
        {
            double sum = 0.0;
            for (int bin = s_lowBins[k]; bin < s_highBins[k]; bin++)
            {
                sum += power[bin];
            }

            bandMagnitudes[k] = Math.Sqrt(sum);
        }
    }

    private static int NearestBin(double frequency)
    {
        const double BinWidth = (double)StoiParameters.SampleRate / StoiParameters.FftSize;
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < StoiParameters.BinCount; i++)
        {
            double difference = (i * BinWidth) - frequency;
            double distance = difference * difference;
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = i;
            }
        }

        return best;
    }
}
