namespace Collab.Codec.Intelligibility;

/// <summary>
/// Fixed parameters of STOI and ESTOI, as in the reference implementations
/// (Taal et al. 2011, Jensen &amp; Taal 2016, and pystoi).
/// </summary>
internal static class StoiParameters
{
    /// <summary>Sample rate at which both measures operate (Hz).</summary>
    public const int SampleRate = 10000;

    /// <summary>Hann frame length in samples, for both silence removal and the STFT.</summary>
    public const int FrameLength = 256;

    /// <summary>Frame hop in samples (50 % overlap).</summary>
    public const int Hop = FrameLength / 2;

    /// <summary>FFT size (frames are zero-padded from 256 to 512 samples).</summary>
    public const int FftSize = 512;

    /// <summary>Number of one-sided FFT bins (0 .. FftSize / 2).</summary>
    public const int BinCount = (FftSize / 2) + 1;

    /// <summary>Number of one-third-octave bands.</summary>
    public const int BandCount = 15;

    /// <summary>Centre frequency of the lowest one-third-octave band (Hz).</summary>
    public const double LowestCentreFrequency = 150.0;

    /// <summary>Number of STFT frames in one short-time segment (N, about 384 ms).</summary>
    public const int SegmentLength = 30;

    /// <summary>Lower signal-to-distortion bound for STOI clipping (dB).</summary>
    public const double Beta = -15.0;

    /// <summary>Frames more than this many dB below the loudest clean frame are dropped.</summary>
    public const double DynamicRange = 40.0;

    /// <summary>numpy's float64 machine epsilon (2^-52), used where the reference adds EPS.</summary>
    public const double Epsilon = 2.220446049250313e-16;
}
