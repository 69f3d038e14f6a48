namespace Collab.Conferencing.Speakers;

/// <summary>The stored list (names read with it, as the participant store has them now).</summary>
public sealed record SpeakersState(
    IReadOnlyList<QueuedSpeakerView> Queue,
    IReadOnlyList<SpeakingTimeView> Times,
    string? CurrentSpeakerId,
    int TimeLimitSeconds,
    long Version)
{
    public static SpeakersState Empty { get; } = new([], [], null, 0, 0);

    public SpeakersView View(long nowUnixMs) => new(Queue, Times, CurrentSpeakerId, TimeLimitSeconds, Version, nowUnixMs);
}

/// <summary>What a change to the list did.</summary>
public enum SpeakersChange
{
    Unchanged,
    Changed,

    /// <summary>The list already holds the most people it may.</summary>
    Full,

    /// <summary>No one waits (giving the floor to the next).</summary>
    Empty,
}

/// <summary>Who was taken off the list to speak, when they had asked (null: they were not on it), and the list's speaker before.</summary>
public sealed record SpeakerTaken(string ParticipantId, long? AskedAtUnixMs, string? PreviousSpeakerId);
