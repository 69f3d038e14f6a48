namespace Collab.Codec.Intelligibility;

/// <summary>
/// In-place iterative radix-2 decimation-in-time complex FFT of a fixed power-of-two size,
/// with precomputed twiddle factors and bit-reversal permutation. Forward transform,
/// X[k] = sum_n x[n] e^{-2 pi i k n / N}, unscaled (as numpy's <c>fft</c>).
/// The tables are read-only after construction, so one instance may be shared across threads;
/// the buffers belong to the caller.
/// </summary>
internal sealed class RadixTwoFft
{
    private readonly int _size;
    private readonly int[] _bitReversed;
    private readonly double[] _cos;
    private readonly double[] _sin;

    public RadixTwoFft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two of at least 2.");
        }

        _size = size;
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        _bitReversed = new int[size];
        for (int i = 0; i < size; i++)
        {
            int reversed = 0;
            for (int b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReversed[i] = reversed;
        }

        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (int k = 0; k < size / 2; k++)
        {
            double angle = -2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }
    }

    public int Size => _size;

    /// <summary>Transforms (<paramref name="real"/>, <paramref name="imaginary"/>) in place.</summary>
    public void Forward(Span<double> real, Span<double> imaginary)
    {
        if (real.Length != _size || imaginary.Length != _size)
        {
            throw new ArgumentException($"Both buffers must hold exactly {_size} values.", nameof(real));
        }

        for (int i = 0; i < _size; i++)
        {
            int j = _bitReversed[i];
            if (j > i)
            {
                (real[i], real[j]) = (real[j], real[i]);
                (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
            }
        }

        for (int span = 2; span <= _size; span <<= 1)
        {
            int half = span >> 1;
            int twiddleStride = _size / span;
            for (int start = 0; start < _size; start += span)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * twiddleStride];
                    double wi = _sin[k * twiddleStride];
                    int top = start + k;
                    int bottom = top + half;
                    double tr = (wr * real[bottom]) - (wi * imaginary[bottom]);
                    double ti = (wr * imaginary[bottom]) + (wi * real[bottom]);
                    real[bottom] = real[top] - tr;
                    imaginary[bottom] = imaginary[top] - ti;
                    real[top] += tr;
                    imaginary[top] += ti;
                }
            }
        }
    }

    /// <summary>
    /// Power spectrum |X[k]|^2, k = 0 .. N/2, of a real input zero-padded to N samples
    /// (the one-sided half that numpy's <c>rfft(x, n=N)</c> returns).
    /// </summary>
    /// <param name="input">At most N real samples.</param>
    /// <param name="power">Receives N/2 + 1 values.</param>
    /// <param name="real">Scratch buffer of N values.</param>
    /// <param name="imaginary">Scratch buffer of N values.</param>
    public void RealPowerSpectrum(ReadOnlySpan<double> input, Span<double> power, Span<double> real, Span<double> imaginary)
    {
        if (input.Length > _size)
        {
            throw new ArgumentException($"The input must hold at most {_size} samples.", nameof(input));
        }

        if (power.Length != (_size / 2) + 1)
        {
            throw new ArgumentException($"The power buffer must hold exactly {(_size / 2) + 1} values.", nameof(power));
        }

        input.CopyTo(real);
        real[input.Length..].Clear();
        imaginary.Clear();
        Forward(real, imaginary);
        for (int k = 0; k < power.Length; k++)
        {
            power[k] = (real[k] * real[k]) + (imaginary[k] * imaginary[k]);
        }
    }
}
