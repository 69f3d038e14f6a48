namespace Collab.LoadGenerator.Scenarios;

/// <summary>The shape of a run, resolved from the command line.</summary>
internal sealed record ScenarioSettings(
    string Scenario,
    int Participants,
    int Speakers,
    TimeSpan Duration,
    Impairment.NetworkProfile Profile,
    double ChatMessagesPerParticipantPerSecond,
    TimeSpan PollInterval,
    int Seed)
{
    public static ScenarioSettings For(string scenario, int participants, TimeSpan duration, Impairment.NetworkProfile profile, int? speakers, int seed) => scenario switch
    {
        // One moderator, many listeners, one or two speakers, a poll every minute (or three per run when shorter).
        "town-hall" => new(scenario, participants, speakers ?? Math.Min(2, participants), duration, profile, 1.0 / 30, PollEvery(duration, 60), seed),
        "chat-storm" => new(scenario, participants, speakers ?? 0, duration, profile, 1.0, PollEvery(duration, 3_600), seed),
        "vote-burst" => new(scenario, participants, speakers ?? 0, duration, profile, 0, PollEvery(duration, 10), seed),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}': use town-hall, chat-storm or vote-burst.", nameof(scenario)),
    };

    private static TimeSpan PollEvery(TimeSpan duration, double seconds) =>
        TimeSpan.FromSeconds(Math.Max(2, Math.Min(seconds, duration.TotalSeconds / 3)));
}
