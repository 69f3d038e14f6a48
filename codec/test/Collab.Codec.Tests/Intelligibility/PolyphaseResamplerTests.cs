using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests.Intelligibility;

public sealed class PolyphaseResamplerTests
{
    [Theory]
    // Ratios reduced by the gcd; half length L = ceil(52 / (28.714 * (1 / (20 * max(up, down))))),
    // worked by hand: 48000 -> 5/24, L = ceil(869.27) = 870; 22050 -> 200/441, L = ceil(15972.7) = 15973;
    // 16000 -> 5/8, L = ceil(289.76) = 290; 8000 -> 5/4, L = ceil(181.1) = 182.
    [InlineData(48000, 5, 24, 1741)]
    [InlineData(22050, 200, 441, 31947)]
    [InlineData(16000, 5, 8, 581)]
    [InlineData(8000, 5, 4, 365)]
    public void Reduces_the_ratio_and_sizes_the_filter_as_octave(int inputRate, int up, int down, int filterLength)
    {
        var resampler = PolyphaseResampler.Create(inputRate, 10000);

        Assert.Equal(up, resampler.Up);
        Assert.Equal(down, resampler.Down);
        Assert.Equal(filterLength, resampler.FilterLength);
    }

    [Theory]
    [InlineData(48000, 480000, 100000)]
    [InlineData(48000, 1, 1)]
    [InlineData(48000, 25, 6)]
    [InlineData(22050, 22050, 10000)]
    [InlineData(22050, 1000, 454)]
    [InlineData(8000, 7, 9)]
    public void Output_length_is_the_ceiling_of_n_times_up_over_down(int inputRate, int inputLength, int expected)
    {
        var resampler = PolyphaseResampler.Create(inputRate, 10000);

        Assert.Equal(expected, resampler.OutputLength(inputLength));
        Assert.Equal(expected, resampler.Process(new float[inputLength]).Length);
    }

    [Fact]
    public void Taps_sum_to_the_up_factor_and_are_symmetric()
    {
        double[] taps = KaiserSincFilter.Design(5, 24);

        Assert.Equal(5.0, taps.Sum(), 1e-9);
        for (int i = 0; i < taps.Length / 2; i++)
        {
            Assert.Equal(taps[i], taps[taps.Length - 1 - i], 1e-15);
        }
    }

    [Fact]
    public void Bessel_i0_matches_known_values()
    {
        Assert.Equal(1.0, KaiserSincFilter.BesselI0(0.0));
        Assert.Equal(1.2660658777520082, KaiserSincFilter.BesselI0(1.0), 1e-14);
        Assert.Equal(27.239871823604442, KaiserSincFilter.BesselI0(5.0), 1e-12);
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(22050)]
    [InlineData(16000)]
    [InlineData(8000)]
    public void Passes_a_constant_and_a_1_khz_tone_unchanged_away_from_the_edges(int inputRate)
    {
        var resampler = PolyphaseResampler.Create(inputRate, 10000);
        var constant = Enumerable.Repeat(0.5f, inputRate).ToArray();
        var tone = Enumerable.Range(0, inputRate).Select(n => (float)(0.5 * Math.Sin(2.0 * Math.PI * 1000.0 * n / inputRate))).ToArray();

        double[] constantOut = resampler.Process(constant);
        double[] toneOut = resampler.Process(tone);

        // The filter reaches at most L / up input samples, i.e. well under 0.2 s.
        for (int m = 2000; m < 8000; m++)
        {
            Assert.Equal(0.5, constantOut[m], 1e-3);
            Assert.Equal(0.5 * Math.Sin(2.0 * Math.PI * 1000.0 * m / 10000.0), toneOut[m], 2e-3);
        }
    }

    [Fact]
    public void Rejects_a_tone_above_the_new_nyquist_frequency()
    {
        // 6 kHz at 48 kHz would alias to 4 kHz at 10 kHz; the stop band starts at 5.25 kHz.
        var resampler = PolyphaseResampler.Create(48000, 10000);
        var tone = Enumerable.Range(0, 48000).Select(n => (float)Math.Sin(2.0 * Math.PI * 6000.0 * n / 48000)).ToArray();

        double[] output = resampler.Process(tone);

        double rms = Math.Sqrt(output.Skip(2000).Take(6000).Select(v => v * v).Average());
        Assert.True(rms < 1e-3 * Math.Sqrt(0.5), $"Aliased 6 kHz tone has RMS {rms}.");
    }

    [Fact]
    public void Refuses_ratios_whose_filter_would_be_absurdly_long()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyphaseResampler.Create(44101, 10000));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolyphaseResampler.Create(0, 10000));
    }
}
