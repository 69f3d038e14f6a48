using System.Globalization;
using System.Net;
using System.Text;
using Collab.Codec.Statistics;
using Collab.LoadGenerator.Reporting;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>A self-contained HTML report (inline SVG charts, no scripts, no external files) of one run.</summary>
internal static class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1c1c1c}table{border-collapse:collapse}" +
        "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.met{color:#0a7a2f}.missed{color:#b00020;font-weight:bold}" +
        "svg{background:#fafafa;border:1px solid #ddd;max-width:100%;height:auto}";

    public static string Render(RunResult result, ServiceLevelObjectives objectives, Baseline.BaselineResult? baseline = null)
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

        var latencies = result.Latencies;
        html.Append(CultureInfo.InvariantCulture, $"""
            </table>
            <h2>Links</h2>{Links(result.Links)}
            <h2>Delivery</h2><table>
            <tr><td>chat messages acknowledged</td><td>{result.ChatMessages:N0}</td></tr>
            <tr><td>chat deliveries received / expected</td><td>{result.ChatDeliveriesReceived:N0} / {result.ChatDeliveriesExpected:N0} ({result.ChatCompleteness:P3})</td></tr>
            <tr><td>duplicate pushes (dropped by clients by sequence)</td><td>{result.ChatDuplicatePushes:N0}</td></tr>
            <tr><td>votes confirmed; polls with exact tallies</td><td>{result.Votes:N0}; {result.Tallies.Count(t => t.Value.Exact)} of {result.Tallies.Count}</td></tr>
            {(result.SpeakersList is { } list ? $"<tr><td>List of speakers: placed exactly; turns in order; given → seen p50 / p99; list pushes per participant</td><td>{list.Queued} of {list.Asked} {(list.QueueExact ? "exact" : "WRONG")}; {list.Turns} {(list.TurnsInOrder ? "in order" : "OUT OF ORDER")}; {list.SeenP50Milliseconds:0} / {list.SeenP99Milliseconds:0} ms; {list.PushesPerParticipant:0.0}</td></tr>" : "")}
            {(result.Qa is { } qa ? $"<tr><td>Q&amp;A: upvotes confirmed; questions counted exactly; asked → seen p50 / p99; pushes per participant per question</td><td>{qa.Upvotes:N0}; {qa.Counts.Count(c => c.Value.Exact)} of {qa.Counts.Count}; {qa.SeenP50Milliseconds:0} / {qa.SeenP99Milliseconds:0} ms; {qa.PushesPerParticipantPerQuestion:0.0}</td></tr>" : "")}
            <tr><td>audio packets heard; lost before the listeners</td><td>{result.AudioPacketsHeard:N0}; {result.AudioPacketsLost:N0} ({result.AudioLossFraction:P2})</td></tr>
            <tr><td>sampled listeners' media frames: decoded, recovered (redundancy/FEC), concealed, stalled (not played on time); late packets</td><td>{result.Playout.Decoded:N0}, {result.Playout.Recovered:N0}, {result.Playout.Concealed:N0}, {result.Playout.Stalled:N0} ({result.AudioConcealedFraction:P2} concealed or stalled); {result.Playout.Late:N0}</td></tr>
            <tr><td>latency p50 / p99: chat, poll opened → seen, audio relay, mouth-to-ear</td><td>{P(latencies.ChatMilliseconds)}; {P(latencies.PollMilliseconds)}; {P(latencies.AudioMilliseconds)}; {P(latencies.MouthToEarMilliseconds)}</td></tr>
            <tr><td>speech intelligibility at sampled listeners (STOI of 10 s windows vs. what was sent)</td><td>{Intelligibility(result.IntelligibilityScores)}</td></tr>
            <tr><td>join to screen p50 / p95 ({result.JoinsMeasured} joins)</td><td>{result.JoinToScreenP50Milliseconds:0} ms / {result.JoinToScreenP95Milliseconds:0} ms</td></tr>
            <tr><td>link resets; reconnects (median time)</td><td>{result.LinkResets}; {result.Reconnects} ({result.ReconnectP50Seconds:0.0} s)</td></tr>
            </table>
            <h2>Delivery completeness</h2>
            {SvgChart.PercentBars(Completeness(result))}
            <h2>Delivery latency (CDF)</h2>
            {SvgChart.Cdf([("chat", latencies.ChatMilliseconds), ("poll opened → seen", latencies.PollMilliseconds), ("audio relay", latencies.AudioMilliseconds), ("audio mouth-to-ear", latencies.MouthToEarMilliseconds)], "ms")}
            <h2>Audio loss before and after recovery</h2>
            <p>Before: packets missing when they reached the listeners (every listener, by sequence number). After: frames the sampled listeners had to conceal once redundancy and FEC had rebuilt what they could.</p>
            {SvgChart.Lines([new ChartSeries("lost before recovery", [.. result.AudioOverTime.Select(s => ((double)s.Second, s.LossPercent))]), new ChartSeries("concealed after recovery", [.. result.AudioOverTime.Select(s => ((double)s.Second, s.ConcealedPercent))])], "seconds into the run", "% of audio")}
            <h2>Speakers' bitrate and profile over time</h2>
            {SvgChart.Lines([.. result.SpeakerBitrates.Select(s => new ChartSeries($"speaker {s.Speaker}", Active(s.KilobitsPerSecond)))], "seconds into the run", "published kb/s")}
            """);
        html.Append(result.ProfileChanges.Count == 0 ? "<p>No profile switches (every speaker kept its starting profile, <code>standard</code>).</p>" : ProfileTable(result.ProfileChanges));
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Reconnect and fail-over times (CDF)</h2>
            {SvgChart.Cdf([("reconnects", result.ReconnectTimesSeconds)], "s", logX: false)}
            <h2>Server CPU and memory</h2>
            """);
        html.Append(result.Servers.Count == 0 ? "<p>Not measured: the run targeted an existing deployment (<code>--hub</code>); server figures need <code>--spawn</code> (read the deployment's own metrics otherwise).</p>" : Servers(result.Servers));
        if (baseline is not null)
        {
            html.Append(Baseline(baseline));
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Links(IReadOnlyList<LinkShare> links)
    {
        var table = new StringBuilder("<table><tr><th>profile</th><th>participants</th><th>down / up kbit/s</th><th>one-way delay + jitter</th><th>loss (mean burst)</th><th>outages</th><th>source</th></tr>");
        foreach (var (p, percent) in links)
        {
            table.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(p.Name)}</td><td>{percent:0.#} %</td><td>{Cap(p.DownKilobitsPerSecond)} / {Cap(p.UpKilobitsPerSecond)}</td><td>{p.OneWayLatencyMilliseconds:0} + 0–{p.JitterMilliseconds:0} ms</td><td>{p.LossPercent:0.##} % ({p.MeanLossBurstSegments:0.#}), stall {p.RetransmitMilliseconds:0} ms</td><td>{(p.OutageEverySeconds > 0 ? $"{p.OutageSeconds:0} s every {p.OutageEverySeconds:0} s" : "none")}</td><td>{Encode(p.Source)}</td></tr>");
        }

        return table.Append("</table>").ToString();

        static string Cap(double kilobits) => kilobits > 0 ? kilobits.ToString("0", CultureInfo.InvariantCulture) : "∞";
    }

    private static string Baseline(Baseline.BaselineResult baseline)
    {
        var html = new StringBuilder("<h2>Baseline: Collab against a bare SignalR hub</h2><p>The run's chat load as a plain fan-out on unimpaired links, on the bare broadcast hub shipped with the tool and on a fresh Collab node, one at a time, right after the run.</p>");
        html.Append("<table><tr><th>figure</th><th>bare hub</th><th>Collab</th><th>Collab ÷ bare</th><th>target</th><th>met</th></tr>");
        foreach (var figure in baseline.Figures)
        {
            var met = figure.Met switch { true => "<td class=\"met\">yes</td>", false => "<td class=\"missed\">no</td>", null => "<td>–</td>" };
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(figure.Name)}</td><td>{figure.Bare.ToString(figure.Format, CultureInfo.InvariantCulture)}</td><td>{figure.Collab.ToString(figure.Format, CultureInfo.InvariantCulture)}</td><td>{(figure.Ratio is { } ratio ? ratio.ToString("0.00×", CultureInfo.InvariantCulture) : "–")}</td><td>{Encode(figure.Target ?? "–")}</td>{met}</tr>");
        }

        return html.Append(CultureInfo.InvariantCulture, $"</table><p>{Encode(baseline.SummaryLine)}</p>").ToString();
    }

    private static List<(string Label, double Percent)> Completeness(RunResult result)
    {
        var played = result.Playout.Decoded + result.Playout.Recovered + result.Playout.Concealed + result.Playout.Stalled;
        return
        [
            ("chat delivered exactly once", result.ChatCompleteness * 100),
            ("polls with exact final tallies", result.Tallies.Count == 0 ? 100 : result.Tallies.Count(t => t.Value.Exact) * 100.0 / result.Tallies.Count),
            ("audio packets arriving", (1 - result.AudioLossFraction) * 100),
            ("audio frames played as sent (sampled)", played == 0 ? 100 : (1 - result.AudioConcealedFraction) * 100),
        ];
    }

    private static string Servers(IReadOnlyList<Hosting.ServerSeries> servers)
    {
        var html = new StringBuilder();
        html.Append(SvgChart.Lines([.. servers.Select(s => new ChartSeries(s.Name, [.. s.Samples.Select(p => (p.Seconds, p.CpuPercent))]))], "seconds into the run", "CPU, % of one core"));
        html.Append(SvgChart.Lines([.. servers.Select(s => new ChartSeries(s.Name, [.. s.Samples.Select(p => (p.Seconds, p.ResidentMegabytes))]))], "seconds into the run", "resident memory, MB"));
        html.Append("<table><tr><th>process</th><th>mean CPU</th><th>peak CPU</th><th>peak resident memory</th></tr>");
        foreach (var server in servers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(server.Name)}</td><td>{server.MeanCpuPercent:0} %</td><td>{server.PeakCpuPercent:0} %</td><td>{server.PeakResidentMegabytes:0} MB</td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    /// <summary>A speaker's seconds from the first to the last it published in.</summary>
    private static List<(double X, double Y)> Active(IReadOnlyList<double> perSecond)
    {
        var first = perSecond.ToList().FindIndex(v => v > 0);
        var last = perSecond.ToList().FindLastIndex(v => v > 0);
        return first < 0 ? [] : [.. Enumerable.Range(first, last - first + 1).Select(s => ((double)s, perSecond[s]))];
    }

    private static string ProfileTable(IReadOnlyList<ProfileChange> changes)
    {
        var table = new StringBuilder("<table><tr><th>time</th><th>speaker</th><th>profile</th><th>nominal payload kb/s</th></tr>");
        foreach (var (seconds, speaker, profile, kbps) in changes.OrderBy(c => c.Seconds))
        {
            table.Append(CultureInfo.InvariantCulture, $"<tr><td>{seconds:0.0} s</td><td>{speaker}</td><td>{Encode(profile)}</td><td>{kbps:0.#}</td></tr>");
        }

        return table.Append("</table>").ToString();
    }

    private static string P(IReadOnlyList<double> sorted) => sorted.Count == 0 ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{Percentile.OfSorted(sorted, 0.5):0} / {Percentile.OfSorted(sorted, 0.99):0} ms");

    private static string Intelligibility(IReadOnlyList<double> sorted) => sorted.Count == 0 ? "no complete window"
        : string.Create(CultureInfo.InvariantCulture, $"mean {sorted.Average():0.000}, lowest {sorted[0]:0.000}, p10 {Percentile.OfSorted(sorted, 0.1):0.000} over {sorted.Count} windows");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
