using System.Globalization;
using System.Net;
using System.Text;

namespace Collab.LoadGenerator.Reporting;

/// <summary>A named line of a chart.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Line charts as inline SVG (no scripts, no external files), for the self-contained HTML report.</summary>
internal static class SvgChart
{
    private const int Width = 900, Height = 280, Left = 60, Right = 20, Top = 16, Bottom = 40;
    private static readonly string[] s_colors = ["#0057b8", "#d1495b", "#2a9d8f", "#e9a03b", "#6a4c93", "#4d4d4d", "#8ab17d", "#b5179e"];

    /// <summary>Lines on shared axes; <paramref name="logX"/> spreads latencies from milliseconds to seconds.</summary>
    public static string Lines(IReadOnlyList<ChartSeries> series, string xLabel, string yLabel, bool logX = false, double? yMax = null)
    {
        var shown = series.Where(s => s.Points.Count > 0).ToList();
        if (shown.Count == 0)
        {
            return "<p>No samples.</p>";
        }

        var xs = shown.SelectMany(s => s.Points.Select(p => p.X)).Where(x => !logX || x > 0).DefaultIfEmpty(1).ToList();
        var (xMin, xMax) = logX ? (Math.Log10(Math.Max(0.1, xs.Min())), Math.Log10(Math.Max(xs.Max(), 1))) : (Math.Min(0, xs.Min()), xs.Max());
        xMax = Math.Max(xMax, xMin + 1e-9);
        var top = yMax ?? NiceCeiling(shown.SelectMany(s => s.Points.Select(p => p.Y)).DefaultIfEmpty(1).Max());
        double X(double x) => Left + ((logX ? Math.Log10(Math.Max(x, 0.1)) : x) - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double y) => Height - Bottom - (Math.Min(y, top) / top * (Height - Bottom - Top));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" role=\"img\" aria-label=\"{Encode(yLabel)} by {Encode(xLabel)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        foreach (var tick in XTicks(xMin, xMax, logX))
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/><text x=\"{x:0.#}\" y=\"{Height - Bottom + 14}\" font-size=\"11\" text-anchor=\"middle\">{Format(tick)}</text>");
        }

        var yStep = NiceCeiling(top / 5);
        for (var value = 0.0; value <= top + (yStep / 2); value += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(value):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(value):0.#}\" stroke=\"#eee\"/><text x=\"{Left - 4}\" y=\"{Y(value) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{Format(value)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 6}\" font-size=\"12\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Height - Bottom + Top) / 2}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(Height - Bottom + Top) / 2})\">{Encode(yLabel)}</text>");
        for (var i = 0; i < shown.Count; i++)
        {
            var color = s_colors[i % s_colors.Length];
            var points = string.Join(' ', shown[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 10}\" y=\"{Top + 4 + (i * 16)}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{Left + 24}\" y=\"{Top + 13 + (i * 16)}\" font-size=\"12\">{Encode(shown[i].Name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Cumulative distributions (x = value, y = percent of samples at or below it) of sorted samples.</summary>
    public static string Cdf(IReadOnlyList<(string Name, IReadOnlyList<double> Sorted)> samples, string unit, bool logX = true) =>
        Lines(
            [.. samples.Select(s => new ChartSeries($"{s.Name} ({s.Sorted.Count:N0} samples)", [.. s.Sorted.Select((value, i) => (value, (i + 1) * 100.0 / s.Sorted.Count))]))],
            logX ? $"{unit} (log scale)" : unit,
            "% of samples at or below",
            logX,
            yMax: 100);

    /// <summary>Horizontal bars of percentages (0–100), one per row, each labelled with its value.</summary>
    public static string PercentBars(IReadOnlyList<(string Label, double Percent)> rows)
    {
        const int LabelWidth = 330, BarHeight = 22;
        var height = (rows.Count * (BarHeight + 8)) + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" role=\"img\" aria-label=\"completeness\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, percent) = rows[i];
            var y = 8 + (i * (BarHeight + 8));
            var width = Math.Clamp(percent, 0, 100) / 100 * (Width - LabelWidth - 90);
            var color = percent >= 100 ? "#0a7a2f" : percent >= 99 ? "#e9a03b" : "#b00020";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" font-size=\"12\" text-anchor=\"end\">{Encode(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{Width - LabelWidth - 90}\" height=\"{BarHeight}\" fill=\"#eee\"/><rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{width:0.#}\" height=\"{BarHeight}\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - 84}\" y=\"{y + 15}\" font-size=\"12\">{percent:0.###} %</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static IEnumerable<double> XTicks(double min, double max, bool log)
    {
        if (log)
        {
            // 1, 2 and 5 per decade when the axis spans few decades, so it never shows a lone tick.
            var multiples = max - min < 3 ? new[] { 1.0, 2, 5 } : [1.0];
            for (var exponent = Math.Floor(min); exponent <= max; exponent++)
            {
                foreach (var tick in multiples.Select(m => m * Math.Pow(10, exponent)).Where(t => Math.Log10(t) >= min && Math.Log10(t) <= max))
                {
                    yield return tick;
                }
            }

            yield break;
        }

        var step = NiceCeiling((max - min) / 8);
        for (var tick = Math.Ceiling(min / step) * step; tick <= max; tick += step)
        {
            yield return tick;
        }
    }

    /// <summary>The smallest 1, 2 or 5 × 10^n at or above <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(candidate => candidate >= value);
    }

    private static string Format(double value) => value switch
    {
        >= 10_000 => value.ToString("0,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
