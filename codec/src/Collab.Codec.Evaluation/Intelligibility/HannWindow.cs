namespace Collab.Codec.Intelligibility;

/// <summary>
/// The symmetric Hann window of MATLAB's <c>hanning(N)</c> (numpy's <c>hanning(N + 2)[1:-1]</c>):
/// w[n] = 0.5 - 0.5 cos(2 pi (n + 1) / (N + 1)), n = 0 .. N-1, with no zero end points.
/// </summary>
internal static class HannWindow
{
    private static readonly double[] s_frameWindow = Create(StoiParameters.FrameLength);

    /// <summary>The window for <see cref="StoiParameters.FrameLength"/>-sample frames.</summary>
    public static ReadOnlySpan<double> Frame => s_frameWindow;

    public static double[] Create(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var window = new double[length];
        for (int n = 0; n < length; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2.0 * Math.PI * (n + 1) / (length + 1)));
        }

        return window;
    }
}
