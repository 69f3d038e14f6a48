namespace Collab.Codec.Intelligibility;

/// <summary>
/// Rational-ratio (up/down) polyphase FIR resampler with the filter of
/// <see cref="KaiserSincFilter"/> and the alignment of scipy's <c>resample_poly</c>:
/// output sample m is the filter centred on up-sampled position m * down, i.e.
/// y[m] = sum_k h[k] x_up[m * down + L - k], where x_up is x with up - 1 zeros after every
/// sample and zeros beyond both ends. The output has ceil(n * up / down) samples.
/// Only the non-zero products are computed: each output uses one polyphase branch of
/// about (2L + 1) / up taps.
/// </summary>
internal sealed class PolyphaseResampler
{
    /// <summary>
    /// Largest reduced up or down factor accepted. The filter has about 72.4 * max(up, down)
    /// taps, so this bounds it to about 145 000 taps (1.2 MB). Every common audio rate reduces
    /// far below it against 10 kHz (48000 -> 5/24, 44100 -> 100/441, 22050 -> 200/441).
    /// </summary>
    public const int MaxReducedFactor = 2000;

    private readonly int _up;
    private readonly int _down;
    private readonly int _halfLength;
    private readonly int _tapsPerPhase;

    // Branch r occupies [r * _tapsPerPhase, (r + 1) * _tapsPerPhase) and holds
    // h[r + j * up] for j = _tapsPerPhase - 1 down to 0 (reversed, zero where r + j * up > 2L),
    // so that an output is a forward dot product with consecutive input samples.
    private readonly double[] _branches;

    private PolyphaseResampler(int up, int down)
    {
        _up = up;
        _down = down;
        double[] taps = KaiserSincFilter.Design(up, down);
        _halfLength = (taps.Length - 1) / 2;
        _tapsPerPhase = (taps.Length + up - 1) / up;
        _branches = new double[up * _tapsPerPhase];
        for (int r = 0; r < up; r++)
        {
            int offset = r * _tapsPerPhase;
            for (int j = 0; j < _tapsPerPhase; j++)
            {
                int k = r + (j * up);
                _branches[offset + _tapsPerPhase - 1 - j] = k < taps.Length ? taps[k] : 0.0;
            }
        }
    }

    /// <summary>Up-sampling factor after reduction by the greatest common divisor.</summary>
    public int Up => _up;

    /// <summary>Down-sampling factor after reduction by the greatest common divisor.</summary>
    public int Down => _down;

    /// <summary>Number of filter taps at the up-sampled rate (2L + 1).</summary>
    public int FilterLength => (2 * _halfLength) + 1;

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A rate is not positive, or the reduced ratio needs a filter longer than
    /// <see cref="MaxReducedFactor"/> allows.
    /// </exception>
    public static PolyphaseResampler Create(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        int divisor = GreatestCommonDivisor(inputRate, outputRate);
        int up = outputRate / divisor;
        int down = inputRate / divisor;
        if (Math.Max(up, down) > MaxReducedFactor)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputRate),
                inputRate,
                $"Resampling {inputRate} Hz to {outputRate} Hz reduces to the ratio {up}/{down}, whose anti-aliasing " +
                $"filter would be too long (factors above {MaxReducedFactor} are refused). Use a rate that shares a " +
                "larger common factor with the target, e.g. 8000, 11025, 16000, 22050, 32000, 44100, 48000 or 96000 Hz.");
        }

        return new PolyphaseResampler(up, down);
    }

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples: ceil(n * up / down).</summary>
    public int OutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return checked((int)((((long)inputLength * _up) + _down - 1) / _down));
    }

    /// <summary>Resamples <paramref name="input"/> into a new array of <see cref="OutputLength"/> samples.</summary>
    public double[] Process(ReadOnlySpan<float> input)
    {
        int inputLength = input.Length;
        var output = new double[OutputLength(inputLength)];
        int taps = _tapsPerPhase;
        ReadOnlySpan<double> branches = _branches;

        for (int m = 0; m < output.Length; m++)
        {
            // Up-sampled position of the filter's first (k = 0) tap relative to output m.
            long position = ((long)m * _down) + _halfLength;
            int phase = (int)(position % _up);
            long newest = position / _up;          // input index multiplied by h[phase]
            long oldest = newest - taps + 1;       // input index multiplied by the last tap of the branch

            // Clip the dot product to the input (x is zero outside it).
            int first = (int)Math.Max(0L, -oldest);
            int last = (int)Math.Min(taps - 1L, inputLength - 1L - oldest);
            if (first > last)
            {
                continue;
            }

            ReadOnlySpan<double> branch = branches.Slice((phase * taps) + first, last - first + 1);
            ReadOnlySpan<float> samples = input.Slice((int)(oldest + first), last - first + 1);
            double acc = 0.0;
            for (int i = 0; i < branch.Length; i++)
            {
                acc += branch[i] * samples[i];
            }

            output[m] = acc;
        }

        return output;
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        // Euclid's algorithm: at most about 45 steps for 32-bit operands.
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
