using System.Globalization;
using Collab.Codec.Statistics;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// One targeted ratio over repeated baseline runs: its lowest, median and highest value and in how many runs it met its
/// target. The tail of a fan-out swings with whatever else the machine runs, so one run's ratio says little; the
/// spread over several, side by side, is what the baseline reports when asked to repeat.
/// </summary>
internal sealed record BaselineSpread(string Name, string Target, double Min, double Median, double Max, int Met, int Runs)
{
    /// <summary>The spread of every figure that has both a ratio and a target in every run.</summary>
    public static IReadOnlyList<BaselineSpread> Of(IReadOnlyList<BaselineResult> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var figures = runs.Select(run => run.Figures).ToList();
        List<BaselineSpread> spreads = [];
        foreach (var first in figures[0].Where(figure => figure.Ratio is not null && figure.Target is not null))
        {
            var same = figures.Select(list => list.FirstOrDefault(figure => figure.Name == first.Name)).ToList();
            if (same.Any(figure => figure?.Ratio is null))
            {
                continue;
            }

            var ratios = same.Select(figure => figure!.Ratio!.Value).Order().ToList();
            spreads.Add(new(first.Name, first.Target!, ratios[0], Percentile.OfSorted(ratios, 0.5), ratios[^1], same.Count(figure => figure!.Met == true), runs.Count));
        }

        return spreads;
    }

    public string Line => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name} {Min:0.00}–{Max:0.00}× (median {Median:0.00}×; {Target} met in {Met} of {Runs})");
}
