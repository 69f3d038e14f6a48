namespace Collab.LoadGenerator.Scenarios;

/// <summary>The shape of a run, resolved from the command line.</summary>
internal sealed record ScenarioSettings(
    string Scenario,
    int Participants,
    int Speakers,
    TimeSpan Duration,
    Impairment.ProfileMix Profiles,
    double ChatMessagesPerParticipantPerSecond,
    TimeSpan PollInterval,
    int Seed,
    bool KillNodeHalfway = false)
{
    /// <summary>The voice path participants use (<c>--voice-path</c>): datagrams with SignalR as the fallback, datagrams only, or SignalR only.</summary>
    public Collab.Conferencing.Client.VoicePathChoice VoicePath { get; init; }

    /// <summary>Listeners that decode fully, score STOI and report reception (the rest count packets): decoding costs CPU.</summary>
    public int DecodingListeners { get; init; } = 10;

    /// <summary>Complete the meeting screen as a client before the join carried it: Join, then GetChatHistory, GetChatSince and GetFloor in turn (for before/after figures).</summary>
    public bool SeparateScreenCalls { get; init; }

    /// <summary>qa-burst: how often the moderator asks a question that every participant upvotes at once; null: no Q&amp;A.</summary>
    public TimeSpan? QuestionInterval { get; init; }

    /// <summary>speakers-list: how often the moderator gives the floor to the next on the list; null: no list of speakers.</summary>
    public TimeSpan? SpeakerTurn { get; init; }
    /// <summary>roundtable: participants split into discussion rooms for the middle third of the run (Rooms/RoomPhase.cs).</summary>
    public bool Rooms { get; init; }

    public static ScenarioSettings For(string scenario, int participants, TimeSpan duration, Impairment.ProfileMix profile, int? speakers, int seed) => scenario switch
    {
        // One moderator, many listeners, one or two speakers, a poll every minute (or three per run when shorter).
        "town-hall" => new(scenario, participants, speakers ?? Math.Min(2, participants), duration, profile, 1.0 / 30, PollEvery(duration, 60), seed),
        // A working meeting where many talk: as many speakers as the hub allows at once (10); the others split into
        // discussion rooms for the middle third of the run and chat there.
        "roundtable" => new(scenario, participants, speakers ?? Math.Min(10, participants), duration, profile, 1.0 / 60, PollEvery(duration, 60), seed) { Rooms = true },
        "chat-storm" => new(scenario, participants, speakers ?? 0, duration, profile, 1.0, PollEvery(duration, 3_600), seed),
        "vote-burst" => new(scenario, participants, speakers ?? 0, duration, profile, 0, PollEvery(duration, 10), seed),

        // A question every 10 s that every participant upvotes as soon as it arrives; no polls (the interval outlasts the run).
        "qa-burst" => new(scenario, participants, speakers ?? 0, duration, profile, 0, duration + TimeSpan.FromMinutes(1), seed) { QuestionInterval = PollEvery(duration, 10) },

        // A plenary: everyone asks to speak at once, the moderator gives the floor to the next every turn (5 s, or a tenth of a short run).
        "speakers-list" => new(scenario, participants, speakers ?? 0, duration, profile, 1.0 / 30, duration + TimeSpan.FromMinutes(1), seed) { SpeakerTurn = TimeSpan.FromSeconds(Math.Max(1, Math.Min(5, duration.TotalSeconds / 10))) },

        // A town hall during which one hub node is killed half-way: its participants fail over and catch up.
        "reconnect-storm" => new(scenario, participants, speakers ?? Math.Min(1, participants), duration, profile, 1.0 / 5, PollEvery(duration, 60), seed, KillNodeHalfway: true),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}': use town-hall, roundtable, chat-storm, vote-burst, qa-burst, speakers-list or reconnect-storm.", nameof(scenario)),
    };

    private static TimeSpan PollEvery(TimeSpan duration, double seconds) =>
        TimeSpan.FromSeconds(Math.Max(2, Math.Min(seconds, duration.TotalSeconds / 3)));
}
