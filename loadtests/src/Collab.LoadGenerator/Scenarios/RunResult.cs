using System.Globalization;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>A run's figures and its verdict against the service-level objectives.</summary>
internal sealed record RunResult(
    string Scenario,
    string Profile,
    int Nodes,
    int Participants,
    int Speakers,
    double DurationSeconds,
    DateTimeOffset StartedAt,
    long ChatMessages,
    long ChatDeliveriesExpected,
    long ChatDeliveriesReceived,
    long ChatDuplicatePushes,
    double ChatLatencyP50Milliseconds,
    double ChatLatencyP99Milliseconds,
    long Votes,
    IReadOnlyDictionary<string, (int Expected, int Final, int Uncertain)> Tallies,
    long AudioPacketsHeard,
    long AudioPacketsLost,
    int LinkResets,
    int Reconnects,
    double ReconnectP50Seconds,
    long Errors,
    IReadOnlyDictionary<string, string> FirstErrors,
    IReadOnlyList<double> ChatLatenciesMilliseconds,
    IReadOnlyList<double> ReconnectTimesSeconds,
    IReadOnlyList<(double Seconds, int Speaker, string Profile, double Kbps)> ProfileChanges,
    (long Decoded, long Recovered, long Concealed, long Late) Playout)
{
    /// <summary>Share of frames the sampled listeners played as concealment, after redundancy and FEC recovered what they could.</summary>
    public double AudioConcealedFraction
    {
        get
        {
            var played = Playout.Decoded + Playout.Recovered + Playout.Concealed;
            return played == 0 ? 0 : Playout.Concealed / (double)played;
        }
    }

    public double ChatCompleteness => ChatDeliveriesExpected == 0 ? 1 : ChatDeliveriesReceived / (double)ChatDeliveriesExpected;

    /// <summary>
    /// Every final tally counts each confirmed ballot once: between the confirmed ballots and those plus the calls whose
    /// outcome the client never learned (a ballot stored just before the link dropped is rightly counted).
    /// </summary>
    public bool TalliesExact => Tallies.Values.All(t => t.Final >= t.Expected && t.Final <= t.Expected + t.Uncertain);

    public double AudioLossFraction => AudioPacketsHeard + AudioPacketsLost == 0 ? 0 : AudioPacketsLost / (double)(AudioPacketsHeard + AudioPacketsLost);

    public static RunResult From(ScenarioSettings settings, int nodes, RunStatistics stats, DateTimeOffset startedAt, int resets)
    {
        var (expected, delivered, duplicated) = stats.ChatCompleteness();
        var latencies = stats.ChatLatencies;
        var reconnects = stats.ReconnectSeconds;
        return new RunResult(
            settings.Scenario,
            settings.Profile.Name,
            nodes,
            settings.Participants,
            settings.Speakers,
            settings.Duration.TotalSeconds,
            startedAt,
            stats.ChatSequencesSent.Count,
            expected,
            delivered,
            duplicated,
            RunStatistics.Percentile(latencies, 0.50),
            RunStatistics.Percentile(latencies, 0.99),
            stats.Votes,
            stats.ExpectedTallies.ToDictionary(p => p.Key, p => (p.Value, stats.FinalTallies.GetValueOrDefault(p.Key, -1), stats.UncertainVotes.GetValueOrDefault(p.Key)), StringComparer.Ordinal),
            stats.AudioPackets,
            stats.AudioLost,
            resets,
            reconnects.Count,
            RunStatistics.Percentile(reconnects, 0.5),
            stats.Errors,
            new Dictionary<string, string>(stats.Failures, StringComparer.Ordinal),
            Sample(latencies, 2_000),
            reconnects,
            [.. stats.ProfileChanges],
            stats.Playout);
    }

    /// <summary>At most <paramref name="count"/> evenly spaced values of a sorted list (enough for a CDF).</summary>
    private static double[] Sample(IReadOnlyList<double> sorted, int count) =>
        sorted.Count <= count ? [.. sorted] : [.. Enumerable.Range(0, count).Select(i => sorted[(int)((long)i * (sorted.Count - 1) / (count - 1))])];

    /// <summary>Each objective with whether the run met it.</summary>
    public IReadOnlyList<(string Objective, bool Met, string Measured)> Check(ServiceLevelObjectives objectives) =>
    [
        ("chat delivered exactly once to everyone", ChatCompleteness >= 1.0, ChatCompleteness.ToString("P3", CultureInfo.InvariantCulture)),
        ("final tallies exact", TalliesExact, $"{Tallies.Count(t => t.Value.Final >= t.Value.Expected && t.Value.Final <= t.Value.Expected + t.Value.Uncertain)}/{Tallies.Count} polls"),
        ($"p99 chat latency ≤ {objectives.ChatP99Milliseconds} ms", ChatLatencyP99Milliseconds <= objectives.ChatP99Milliseconds, $"{ChatLatencyP99Milliseconds:0} ms"),
        ($"audio loss ≤ {objectives.AudioLossPercent} %", AudioLossFraction * 100 <= objectives.AudioLossPercent, AudioLossFraction.ToString("P2", CultureInfo.InvariantCulture)),
    ];

    public string SummaryLine(ServiceLevelObjectives objectives) => string.Create(CultureInfo.InvariantCulture,
        $"{Scenario} on {Profile}: {Participants} participants, {Nodes} node(s), {DurationSeconds:0} s — chat {ChatDeliveriesReceived}/{ChatDeliveriesExpected} ({ChatCompleteness:P2}), p50 {ChatLatencyP50Milliseconds:0} ms, p99 {ChatLatencyP99Milliseconds:0} ms; votes {Votes}, tallies {(TalliesExact ? "exact" : "WRONG")}; audio loss {AudioLossFraction:P2} ({AudioConcealedFraction:P2} concealed after recovery); {Reconnects} reconnects; SLOs {(Check(objectives).All(c => c.Met) ? "met" : "MISSED")}");
}

/// <summary>What a run must achieve to pass (configurable on the command line).</summary>
internal sealed record ServiceLevelObjectives(double ChatP99Milliseconds, double AudioLossPercent);
