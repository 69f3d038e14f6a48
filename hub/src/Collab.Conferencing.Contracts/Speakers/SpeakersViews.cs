namespace Collab.Conferencing.Speakers;

/// <summary>
/// The list of speakers as every member sees it: who waits, in order; who spoke and for how long; the list's current
/// speaker; the per-speaker time limit (0: none). Times are the hub's: <see cref="ServerNowUnixMs"/> lets a client
/// show a running time on its own clock (now − speakingSince, corrected by the offset). Keep the highest version.
/// </summary>
public sealed record SpeakersView(
    IReadOnlyList<QueuedSpeakerView> Queue,
    IReadOnlyList<SpeakingTimeView> Times,
    string? CurrentSpeakerId,
    int TimeLimitSeconds,
    long Version,
    long ServerNowUnixMs);

/// <summary>Someone waiting for the floor, with the name they have now.</summary>
public sealed record QueuedSpeakerView(string ParticipantId, string DisplayName, long AskedAtUnixMs);

/// <summary>
/// How long someone held the floor: <see cref="TotalMs"/> over finished turns; <see cref="SpeakingSinceUnixMs"/> is set
/// while they hold it now (add now − since for the running total).
/// </summary>
public sealed record SpeakingTimeView(string ParticipantId, string DisplayName, long TotalMs, int Turns, long? SpeakingSinceUnixMs);
