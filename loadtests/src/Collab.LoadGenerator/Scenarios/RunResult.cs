using System.Globalization;
using Collab.Codec.Statistics;

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
    IReadOnlyDictionary<string, TallyCheck> Tallies,
    long AudioPacketsHeard,
    long AudioPacketsLost,
    int LinkResets,
    int Reconnects,
    double ReconnectP50Seconds,
    long Errors,
    IReadOnlyDictionary<string, string> FirstErrors,
    IReadOnlyList<double> ReconnectTimesSeconds,
    IReadOnlyList<ProfileChange> ProfileChanges,
    PlayoutCounts Playout,
    DeliveryLatencies Latencies,
    IReadOnlyList<double> IntelligibilityScores,
    IReadOnlyList<AudioSecond> AudioOverTime,
    IReadOnlyList<SpeakerBitrate> SpeakerBitrates,
    IReadOnlyList<Hosting.ServerSeries> Servers,
    IReadOnlyList<LinkShare> Links)
{
    /// <summary>
    /// Share of media frames the sampled listeners did not hear as sent, after redundancy and FEC recovered what they
    /// could: played as concealment, or not played on time (stalls).
    /// </summary>
    public double AudioConcealedFraction
    {
        get
        {
            var media = Playout.Decoded + Playout.Recovered + Playout.Concealed + Playout.Stalled;
            return media == 0 ? 0 : (Playout.Concealed + Playout.Stalled) / (double)media;
        }
    }

    /// <summary>Share of media frames the sampled listeners could not play on time (stalls), part of <see cref="AudioConcealedFraction"/>.</summary>
    public double StalledFraction
    {
        get
        {
            var media = Playout.Decoded + Playout.Recovered + Playout.Concealed + Playout.Stalled;
            return media == 0 ? 0 : Playout.Stalled / (double)media;
        }
    }

    /// <summary>Joins measured from invoking Join to a complete meeting screen, and their median and 95th percentile.</summary>
    public int JoinsMeasured { get; init; }

    public double JoinToScreenP50Milliseconds { get; init; }

    public double JoinToScreenP95Milliseconds { get; init; }

    /// <summary>The voice figures per path (<c>--voice-path</c>): speakers and listeners on each, mouth-to-ear, concealment, STOI.</summary>
    public IReadOnlyList<VoicePathResult> VoicePaths { get; init; } = [];

    /// <summary>qa-burst's figures (null for the other scenarios).</summary>
    public Qa.QaBurstResult? Qa { get; init; }

    /// <summary>speakers-list's figures (null for the other scenarios).</summary>
    public Speakers.SpeakersListResult? SpeakersList { get; init; }
    /// <summary>roundtable's discussion rooms and their chat (null for the other scenarios).</summary>
    public Rooms.RoomChatResult? Rooms { get; init; }

    public double ChatCompleteness => ChatDeliveriesExpected == 0 ? 1 : ChatDeliveriesReceived / (double)ChatDeliveriesExpected;

    /// <summary>
    /// Every final tally counts each confirmed ballot once: between the confirmed ballots and those plus the calls whose
    /// outcome the client never learned (a ballot stored just before the link dropped is rightly counted).
    /// </summary>
    public bool TalliesExact => Tallies.Values.All(t => t.Exact);

    public double AudioLossFraction => AudioPacketsHeard + AudioPacketsLost == 0 ? 0 : AudioPacketsLost / (double)(AudioPacketsHeard + AudioPacketsLost);

    public double MeanIntelligibility => IntelligibilityScores.Count == 0 ? 0 : IntelligibilityScores.Average();

    public static RunResult From(ScenarioSettings settings, int nodes, RunStatistics stats, DateTimeOffset startedAt, int resets, IReadOnlyList<Hosting.ServerSeries> servers)
    {
        var (expected, delivered, duplicated) = stats.ChatCompleteness();
        var latencies = stats.ChatLatencies;
        var reconnects = stats.ReconnectSeconds;
        return new RunResult(
            settings.Scenario,
            settings.Profiles.Name,
            nodes,
            settings.Participants,
            settings.Speakers,
            settings.Duration.TotalSeconds,
            startedAt,
            stats.ChatSequencesSent.Count,
            expected,
            delivered,
            duplicated,
            Percentile.OfSorted(latencies, 0.50),
            Percentile.OfSorted(latencies, 0.99),
            stats.Votes,
            stats.ExpectedTallies.ToDictionary(p => p.Key, p => new TallyCheck(p.Value, stats.FinalTallies.GetValueOrDefault(p.Key, -1), stats.UncertainVotes.GetValueOrDefault(p.Key)), StringComparer.Ordinal),
            stats.AudioPackets,
            stats.AudioLost,
            resets,
            reconnects.Count,
            Percentile.OfSorted(reconnects, 0.5),
            stats.Errors,
            new Dictionary<string, string>(stats.Failures, StringComparer.Ordinal),
            reconnects,
            [.. stats.ProfileChanges],
            stats.Playout,
            new DeliveryLatencies(Sample(latencies, 2_000), Sample(stats.PollLatencies.Sorted(), 2_000), Sample(stats.AudioLatencies.Sorted(), 2_000), Sample(stats.MouthToEar.Sorted(), 2_000)),
            [.. stats.IntelligibilityScores.Order()],
            AudioSecond.Series(stats),
            [.. stats.SpeakerBytesPerSecond.Select((bytes, speaker) => new SpeakerBitrate(speaker, [.. bytes.Snapshot().Select(b => b * 8 / 1000.0)]))],
            servers,
            [.. settings.Profiles.Parts.Select(p => new LinkShare(p.Profile, p.Weight * 100.0 / settings.Profiles.Parts.Sum(q => q.Weight)))])
        {
            JoinsMeasured = stats.JoinToScreenMilliseconds.Count,
            JoinToScreenP50Milliseconds = Percentile.OfSorted(stats.JoinToScreenMilliseconds, 0.50),
            JoinToScreenP95Milliseconds = Percentile.OfSorted(stats.JoinToScreenMilliseconds, 0.95),
            Qa = settings.QuestionInterval is null ? null : stats.Qa.Result(settings.Participants),
            SpeakersList = settings.SpeakerTurn is null ? null : stats.SpeakersList.Result(settings.Participants),
            Rooms = settings.Rooms ? stats.Rooms.Result() : null,
            VoicePaths = settings.Speakers == 0 ? [] : stats.Paths.Results(),
        };
    }


    /// <summary>At most <paramref name="count"/> evenly spaced values of a sorted list (enough for a CDF).</summary>
    private static double[] Sample(IReadOnlyList<double> sorted, int count) =>
        sorted.Count <= count ? [.. sorted] : [.. Enumerable.Range(0, count).Select(i => sorted[(int)((long)i * (sorted.Count - 1) / (count - 1))])];

    /// <summary>Each objective with whether the run met it.</summary>
    public IReadOnlyList<(string Objective, bool Met, string Measured)> Check(ServiceLevelObjectives objectives) =>
    [
        .. Qa is null ? [] : new[] { ("question upvotes counted exactly", Qa.CountsExact, $"{Qa.Counts.Count(c => c.Value.Exact)}/{Qa.Counts.Count} questions") },
        .. SpeakersList is null ? [] : new[] { ("list of speakers exact (each asker placed once, where its answer said; turns in its order)", SpeakersList.QueueExact && SpeakersList.TurnsInOrder, $"{SpeakersList.Queued}/{SpeakersList.Asked} placed, {SpeakersList.Turns} turns {(SpeakersList.TurnsInOrder ? "in order" : "OUT OF ORDER")}") },
        ("chat delivered exactly once to everyone", ChatCompleteness >= 1.0, ChatCompleteness.ToString("P3", CultureInfo.InvariantCulture)),
        .. Rooms is null ? [] : new[] { ("room chat delivered exactly once to each room's members", Rooms.Completeness >= 1.0, $"{Rooms.Completeness.ToString("P3", CultureInfo.InvariantCulture)} of {Rooms.Messages} messages in {Rooms.Rooms} rooms") },
        ("final tallies exact", TalliesExact, $"{Tallies.Count(t => t.Value.Exact)}/{Tallies.Count} polls"),
        ($"p99 chat latency ≤ {objectives.ChatP99Milliseconds} ms", ChatLatencyP99Milliseconds <= objectives.ChatP99Milliseconds, $"{ChatLatencyP99Milliseconds:0} ms"),
        ($"audio loss ≤ {objectives.AudioLossPercent} %", AudioLossFraction * 100 <= objectives.AudioLossPercent, AudioLossFraction.ToString("P2", CultureInfo.InvariantCulture)),
        ($"audio concealed after recovery (stalls included) ≤ {objectives.AudioConcealedPercent} %", AudioConcealedFraction * 100 <= objectives.AudioConcealedPercent, AudioConcealedFraction.ToString("P2", CultureInfo.InvariantCulture)),
    ];

    public string SummaryLine(ServiceLevelObjectives objectives) => string.Create(CultureInfo.InvariantCulture,
        $"{Scenario} on {Profile}: {Participants} participants, {Nodes} node(s), {DurationSeconds:0} s — chat {ChatDeliveriesReceived}/{ChatDeliveriesExpected} ({ChatCompleteness:P2}), p50 {ChatLatencyP50Milliseconds:0} ms, p99 {ChatLatencyP99Milliseconds:0} ms; votes {Votes}, tallies {(TalliesExact ? "exact" : "WRONG")}; join to screen p50 {JoinToScreenP50Milliseconds:0} ms, p95 {JoinToScreenP95Milliseconds:0} ms;{(Rooms is null ? "" : $" rooms {Rooms.Rooms} ({Rooms.Members} people, {Rooms.Moves} moves), room chat {Rooms.DeliveriesReceived}/{Rooms.DeliveriesExpected} ({Rooms.Completeness:P2});")}{(Qa is null ? "" : $" {Qa.Questions} questions, {Qa.Upvotes} upvotes, counts {(Qa.CountsExact ? "exact" : "WRONG")}, seen p99 {Qa.SeenP99Milliseconds:0} ms, {Qa.PushesPerParticipantPerQuestion:0.0} pushes per participant per question;")}{(SpeakersList is not { } list ? "" : $" speakers {list.Queued}/{list.Asked} placed {(list.QueueExact ? "exactly" : "WRONG")}, {list.Turns} turns {(list.TurnsInOrder ? "in order" : "OUT OF ORDER")}, given → seen p50 {list.SeenP50Milliseconds:0} ms p99 {list.SeenP99Milliseconds:0} ms, {list.PushesPerParticipant:0.0} list pushes per participant, {list.SpeakingMilliseconds / 1000.0:0.0} s spoken;")} audio loss {AudioLossFraction:P2} ({AudioConcealedFraction:P2} concealed after recovery, stalls included: {StalledFraction:P2} stalled), mouth-to-ear p50 {(Latencies.MouthToEarMilliseconds.Count == 0 ? "n/a" : $"{Percentile.OfSorted(Latencies.MouthToEarMilliseconds, 0.5):0} ms")}, STOI {(IntelligibilityScores.Count == 0 ? "n/a" : MeanIntelligibility.ToString("0.000", CultureInfo.InvariantCulture))};{(VoicePaths.Count == 0 ? "" : $" voice paths: {string.Join("; ", VoicePaths.Select(p => p.Summary()))};")} {Reconnects} reconnects; SLOs {(Check(objectives).All(c => c.Met) ? "met" : "MISSED")}");
}

/// <summary>What a run must achieve to pass (configurable on the command line).</summary>
internal sealed record ServiceLevelObjectives(double ChatP99Milliseconds, double AudioLossPercent, double AudioConcealedPercent = 3);

/// <summary>Sampled delivery latencies, sorted, in milliseconds (at most 2,000 evenly spaced values each: enough for a CDF).</summary>
/// <param name="ChatMilliseconds">Chat message first sent → pushed to a participant.</param>
/// <param name="PollMilliseconds">Poll opened → a participant saw it open.</param>
/// <param name="AudioMilliseconds">Audio packet sent → received by a listener (the relay and the links).</param>
/// <param name="MouthToEarMilliseconds">Frame spoken → played at a sampled listener (framing, relay, jitter buffer).</param>
internal sealed record DeliveryLatencies(
    IReadOnlyList<double> ChatMilliseconds,
    IReadOnlyList<double> PollMilliseconds,
    IReadOnlyList<double> AudioMilliseconds,
    IReadOnlyList<double> MouthToEarMilliseconds);

/// <summary>One second of audio: packets missing on arrival (all listeners) and frames concealed after recovery (sampled listeners).</summary>
internal sealed record AudioSecond(int Second, double LossPercent, double ConcealedPercent)
{
    public static IReadOnlyList<AudioSecond> Series(RunStatistics stats)
    {
        var heard = stats.AudioHeardPerSecond.Snapshot();
        var lost = stats.AudioLostPerSecond.Snapshot();
        var played = stats.FramesPlayedPerSecond.Snapshot();
        var concealed = stats.FramesConcealedPerSecond.Snapshot();
        var active = Enumerable.Range(0, heard.Length).Where(s => heard[s] + lost[s] + played[s] > 0).ToList();
        return active.Count == 0 ? [] :
        [
            .. Enumerable.Range(active[0], active[^1] - active[0] + 1).Select(s => new AudioSecond(
                s,
                heard[s] + lost[s] == 0 ? 0 : lost[s] * 100.0 / (heard[s] + lost[s]),
                played[s] == 0 ? 0 : concealed[s] * 100.0 / played[s])),
        ];
    }
}

/// <summary>
/// One poll's ballots: confirmed by the hub, in the final tally, and cut off mid-call (stored or not, the client never
/// learned). The tally is exact when it counts every confirmed ballot once, plus at most the uncertain ones.
/// </summary>
internal sealed record TallyCheck(int Expected, int Final, int Uncertain)
{
    public bool Exact => Final >= Expected && Final <= Expected + Uncertain;
}

/// <summary>A network profile the run played and the share of participants on it.</summary>
internal sealed record LinkShare(Impairment.NetworkProfile Profile, double Percent);

/// <summary>A speaker's link adapter switched profile.</summary>
internal sealed record ProfileChange(double Seconds, int Speaker, string Profile, double NominalKilobitsPerSecond);

/// <summary>
/// Frames the sampled listeners played: decoded, recovered from redundancy or FEC, concealed; packets that came too
/// late; and frames not played on time (stalls: the buffer ran dry mid-speech).
/// </summary>
internal sealed record PlayoutCounts(long Decoded, long Recovered, long Concealed, long Late, long Stalled);

/// <summary>A speaker's published bitrate (Collab packets, before SignalR framing), one value per second of the run.</summary>
internal sealed record SpeakerBitrate(int Speaker, IReadOnlyList<double> KilobitsPerSecond);
