using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests.Intelligibility;

public sealed class FrontEndTests
{
    [Fact]
    public void Hann_window_matches_matlab_hanning()
    {
        ReadOnlySpan<double> window = HannWindow.Frame;

        Assert.Equal(256, window.Length);
        Assert.Equal(0.5 - (0.5 * Math.Cos(2.0 * Math.PI / 257.0)), window[0], 1e-15);
        Assert.Equal(window[0], window[255], 1e-15);
        Assert.True(window[127] > 0.9999 && window[128] > 0.9999);
    }

    [Fact]
    public void Fft_matches_a_direct_dft()
    {
        var fft = new RadixTwoFft(512);
        var random = new Random(3);
        double[] input = Enumerable.Range(0, 256).Select(_ => random.NextDouble() - 0.5).ToArray();
        var power = new double[257];

        fft.RealPowerSpectrum(input, power, new double[512], new double[512]);

        for (int k = 0; k <= 256; k += 17)
        {
            double re = 0.0;
            double im = 0.0;
            for (int n = 0; n < input.Length; n++)
            {
                re += input[n] * Math.Cos(2.0 * Math.PI * k * n / 512.0);
                im -= input[n] * Math.Sin(2.0 * Math.PI * k * n / 512.0);
            }

            Assert.Equal((re * re) + (im * im), power[k], 1e-9);
        }
    }

    [Fact]
    public void One_third_octave_bands_match_hand_computed_bins()
    {
        // Bin spacing 10000 / 512 = 19.53125 Hz. Band 0: edges 150 * 2^(-1/6) = 133.6 Hz -> bin 7
        // (136.7 Hz) and 150 * 2^(1/6) = 168.4 Hz -> bin 9 (175.8 Hz), so bins 7 and 8.
        // Band 14: edges 150 * 2^(27/6) = 3394 Hz -> bin 174 (3398 Hz) and 150 * 2^(29/6) = 4276 Hz -> bin 219.
        Assert.Equal(7, OneThirdOctaveBands.LowBin(0));
        Assert.Equal(9, OneThirdOctaveBands.HighBin(0));
        Assert.Equal(174, OneThirdOctaveBands.LowBin(14));
        Assert.Equal(219, OneThirdOctaveBands.HighBin(14));
        for (int band = 1; band < 15; band++)
        {
            Assert.Equal(OneThirdOctaveBands.HighBin(band - 1), OneThirdOctaveBands.LowBin(band));
            Assert.True(OneThirdOctaveBands.HighBin(band) > OneThirdOctaveBands.LowBin(band));
        }

        Assert.Equal(150.0, OneThirdOctaveBands.CentreFrequency(0), 1e-12);
        Assert.Equal(3810.0, OneThirdOctaveBands.CentreFrequency(14), 1.0);
    }

    [Fact]
    public void Silent_frames_are_removed_and_the_rest_overlap_added()
    {
        // About 1 s tone, 1 s silence, 1 s tone at 10 kHz, with the edges half-way into frames so that
        // every frame is either clearly active (at least half a frame of tone) or exactly silent.
        var clean = new double[30000];
        var degraded = new double[30000];
        for (int n = 0; n < clean.Length; n++)
        {
            bool active = n < 10112 || n >= 19968;
            clean[n] = active ? Math.Sin(2.0 * Math.PI * 440.0 * n / 10000.0) : 0.0;
            degraded[n] = 2.0 * clean[n];
        }

        (double[] x, double[] y) = SilentFrameRemoval.Apply(clean, degraded);

        Assert.Equal(233, SilentFrameRemoval.FrameCount(30000));
        // 233 frames in all. Frames touching a tone: starts 0 .. 9984 (79 frames) and 19840 .. 29696
        // (78 frames, the last start below 30000 - 256); all others are exact zeros.
        int kept = 79 + 78;
        Assert.Equal(((kept - 1) * 128) + 256, x.Length);
        Assert.Equal(x.Length, y.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(2.0 * x[n], y[n], 1e-12);
        }

        // Inside a run of kept frames the Hann overlap-add is close to unity gain.
        for (int n = 1000; n < 9000; n++)
        {
            Assert.Equal(clean[n], x[n], 0.02);
        }
    }

    [Fact]
    public void Spectrogram_frames_follow_the_reference_stdft_count()
    {
        // Frame starts 0, 128, ... while start < length - 256.
        Assert.Empty(ThirdOctaveSpectrogram.Compute(new double[256])[0]);
        Assert.Single(ThirdOctaveSpectrogram.Compute(new double[257])[0]);
        Assert.Single(ThirdOctaveSpectrogram.Compute(new double[384])[0]);
        Assert.Equal(2, ThirdOctaveSpectrogram.Compute(new double[385])[0].Length);
    }
}
