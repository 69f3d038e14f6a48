using Collab.Codec.Statistics;

namespace Collab.Codec.Tests.Statistics;

public sealed class PercentileTests
{
    private static readonly double[] s_hundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.1, 11)]
    [InlineData(0.5, 51)]
    [InlineData(0.99, 100)]
    [InlineData(1.0, 100)]
    public void The_value_at_rank_p_times_n_of_a_sorted_sample_capped_at_the_last(double percentile, double expected)
    {
        Assert.Equal(expected, Percentile.OfSorted<double>(s_hundred, percentile));
        Assert.Equal(expected, Percentile.OfSorted((IReadOnlyList<double>)s_hundred, percentile));
    }

    [Fact]
    public void The_median_of_an_even_sample_is_the_upper_middle_value_and_an_empty_sample_gives_zero()
    {
        Assert.Equal(30L, Percentile.OfSorted<long>([10, 20, 30, 40], 0.5));
        Assert.Equal(20L, Percentile.OfSorted<long>([10, 20, 30], 0.5));
        Assert.Equal(0L, Percentile.OfSorted<long>([], 0.99));
        Assert.Equal(0.0, Percentile.OfSorted(Array.Empty<double>().ToList(), 0.5));
    }
}
