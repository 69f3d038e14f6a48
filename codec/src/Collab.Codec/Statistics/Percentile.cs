using System.Numerics;

namespace Collab.Codec.Statistics;

/// <summary>
/// Collab's one percentile of a sorted sample: the value at rank ⌊p·n⌋ (0-based, capped at the last), so p = 0.5 is
/// the upper median and p = 0.99 of 100 samples is the largest. No interpolation: every figure is a value that was
/// measured. Used by the hub (a speaker's uplink delay), the load generator's reports and its benchmarks; the jitter
/// buffer's delay target and the listener histograms of <see cref="Adaptation.ReceptionAggregator"/> rank differently
/// on purpose (see there). Empty samples give zero.
/// </summary>
public static class Percentile
{
    /// <summary>The <paramref name="percentile"/> (0–1) of <paramref name="sorted"/>, which must be in ascending order.</summary>
    public static T OfSorted<T>(ReadOnlySpan<T> sorted, double percentile)
        where T : INumberBase<T> =>
        sorted.IsEmpty ? T.Zero : sorted[Rank(sorted.Length, percentile)];

    /// <inheritdoc cref="OfSorted{T}(ReadOnlySpan{T}, double)"/>
    public static T OfSorted<T>(IReadOnlyList<T> sorted, double percentile)
        where T : INumberBase<T> =>
        sorted.Count == 0 ? T.Zero : sorted[Rank(sorted.Count, percentile)];

    /// <summary>The 0-based index of the <paramref name="percentile"/> in a sorted sample of <paramref name="count"/> (≥ 1).</summary>
    public static int Rank(int count, double percentile) => Math.Clamp((int)(percentile * count), 0, count - 1);
}
