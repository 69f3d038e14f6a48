using System.Globalization;
using System.Net;
using System.Text;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>A self-contained HTML report (inline SVG, no scripts, no external files) of one run.</summary>
internal static class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1c1c1c}table{border-collapse:collapse}" +
        "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.met{color:#0a7a2f}.missed{color:#b00020;font-weight:bold}" +
        "svg{background:#fafafa;border:1px solid #ddd}";

    public static string Render(RunResult result, ServiceLevelObjectives objectives)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Collab load run: {Encode(result.Scenario)} on {Encode(result.Profile)}</title>
            <style>{Style}</style></head><body>
            <h1>{Encode(result.Scenario)} on {Encode(result.Profile)}</h1>
            <p>{result.Participants} participants, {result.Speakers} speakers, {result.Nodes} hub node(s), {result.DurationSeconds:0} s, started {result.StartedAt:u}.</p>
            <p><strong>{Encode(result.SummaryLine(objectives))}</strong></p>
            <h2>Objectives</h2><table><tr><th>objective</th><th>measured</th><th>met</th></tr>
            """);
        foreach (var (objective, met, measured) in result.Check(objectives))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(objective)}</td><td>{Encode(measured)}</td><td class=\"{(met ? "met" : "missed")}\">{(met ? "yes" : "no")}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            </table>
            <h2>Delivery</h2><table>
            <tr><td>chat messages acknowledged</td><td>{result.ChatMessages:N0}</td></tr>
            <tr><td>chat deliveries received / expected</td><td>{result.ChatDeliveriesReceived:N0} / {result.ChatDeliveriesExpected:N0} ({result.ChatCompleteness:P3})</td></tr>
            <tr><td>duplicate pushes (dropped by clients by sequence)</td><td>{result.ChatDuplicatePushes:N0}</td></tr>
            <tr><td>votes confirmed; polls with exact tallies</td><td>{result.Votes:N0}; {result.Tallies.Count(t => t.Value.Final >= t.Value.Expected && t.Value.Final <= t.Value.Expected + t.Value.Uncertain)} of {result.Tallies.Count}</td></tr>
            <tr><td>audio packets heard; lost before the listeners</td><td>{result.AudioPacketsHeard:N0}; {result.AudioPacketsLost:N0} ({result.AudioLossFraction:P2})</td></tr>
            <tr><td>sampled listeners' played frames: decoded, recovered (redundancy/FEC), concealed; late packets</td><td>{result.Playout.Decoded:N0}, {result.Playout.Recovered:N0}, {result.Playout.Concealed:N0} ({result.AudioConcealedFraction:P2} concealed); {result.Playout.Late:N0}</td></tr>
            <tr><td>link resets; reconnects (median time)</td><td>{result.LinkResets}; {result.Reconnects} ({result.ReconnectP50Seconds:0.0} s)</td></tr>
            </table>
            <h2>Chat delivery latency (CDF)</h2>{Cdf(result.ChatLatenciesMilliseconds, "ms")}
            <h2>Reconnect and fail-over times (CDF)</h2>{Cdf(result.ReconnectTimesSeconds, "s")}
            <h2>Speakers' profiles over time</h2>
            """);
        html.Append(result.ProfileChanges.Count == 0 ? "<p>No profile switches (every speaker kept its starting profile, <code>standard</code>).</p>" : ProfileTable(result.ProfileChanges));
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>A cumulative distribution as an SVG polyline: x = value, y = share of samples at or below it.</summary>
    private static string Cdf(IReadOnlyList<double> sorted, string unit)
    {
        if (sorted.Count == 0)
        {
            return "<p>No samples.</p>";
        }

        const int Width = 900, Height = 260, Left = 50, Bottom = 30;
        var max = Math.Max(sorted[^1], 1e-9);
        var points = string.Join(' ', sorted.Select((value, i) => string.Create(CultureInfo.InvariantCulture,
            $"{Left + (value / max * (Width - Left - 10)):0.#},{Height - Bottom - ((i + 1.0) / sorted.Count * (Height - Bottom - 10)):0.#}")));
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg width="{Width}" height="{Height}" role="img" aria-label="cumulative distribution up to {max:0.#} {unit}">
            <polyline fill="none" stroke="#0057b8" stroke-width="2" points="{points}"/>
            <line x1="{Left}" y1="{Height - Bottom}" x2="{Width - 10}" y2="{Height - Bottom}" stroke="#888"/><line x1="{Left}" y1="10" x2="{Left}" y2="{Height - Bottom}" stroke="#888"/>
            <text x="{Left}" y="{Height - 8}" font-size="12">0</text><text x="{Width - 90}" y="{Height - 8}" font-size="12">{max:0.#} {unit}</text>
            <text x="5" y="16" font-size="12">100 %</text><text x="5" y="{Height - Bottom}" font-size="12">0 %</text>
            </svg><p>p50 {Percentile(sorted, 0.5):0.#} {unit}, p90 {Percentile(sorted, 0.9):0.#} {unit}, p99 {Percentile(sorted, 0.99):0.#} {unit}, max {max:0.#} {unit} ({sorted.Count:N0} samples shown)</p>
            """);
    }

    private static string ProfileTable(IReadOnlyList<(double Seconds, int Speaker, string Profile, double Kbps)> changes)
    {
        var table = new StringBuilder("<table><tr><th>time</th><th>speaker</th><th>profile</th><th>nominal payload kb/s</th></tr>");
        foreach (var (seconds, speaker, profile, kbps) in changes.OrderBy(c => c.Seconds))
        {
            table.Append(CultureInfo.InvariantCulture, $"<tr><td>{seconds:0.0} s</td><td>{speaker}</td><td>{Encode(profile)}</td><td>{kbps:0.#}</td></tr>");
        }

        return table.Append("</table>").ToString();
    }

    private static double Percentile(IReadOnlyList<double> sorted, double percentile) => RunStatistics.Percentile(sorted, percentile);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
