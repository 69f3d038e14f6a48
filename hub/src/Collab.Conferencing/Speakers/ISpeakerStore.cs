namespace Collab.Conferencing.Speakers;

/// <summary>
/// Each meeting's list of speakers and speaking times. Every change is atomic across nodes (one Lua script in Redis),
/// so the queue's order is exact when people on several nodes ask at once, and each person is taken off it once.
/// </summary>
public interface ISpeakerStore
{
    Task<SpeakersState> GetAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Adds the participant at the end (unchanged when already waiting; <see cref="SpeakersChange.Full"/> at <paramref name="maxQueue"/>).</summary>
    Task<(SpeakersChange Change, SpeakersState State)> EnqueueAsync(string meetingId, string participantId, long nowUnixMs, int maxQueue, CancellationToken cancellationToken = default);

    /// <summary>Takes the participant off the queue (a withdrawal, or a moderator's); unchanged when not on it.</summary>
    Task<(SpeakersChange Change, SpeakersState State)> DequeueAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the head of the queue (<paramref name="participantId"/> null) or the one chosen off it and makes them the
    /// list's current speaker; null (with <see cref="SpeakersChange.Empty"/>) when the queue is empty.
    /// </summary>
    Task<(SpeakerTaken? Taken, SpeakersState State)> TakeAsync(string meetingId, string? participantId, CancellationToken cancellationToken = default);

    /// <summary>Undoes a take whose floor grant failed: back at the head (when they had asked) and the previous current speaker again.</summary>
    Task<SpeakersState> RestoreAsync(string meetingId, SpeakerTaken taken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings the speaking times in line with who holds the floor now (read from the floor store itself): a turn ends
    /// for each who no longer holds it (its time added at <paramref name="nowUnixMs"/>), one starts for each new holder.
    /// </summary>
    Task<(SpeakersChange Change, SpeakersState State)> SyncTurnsAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>A new version with nothing else changed (someone on the list was renamed: the view with their new name supersedes the last).</summary>
    Task<SpeakersState> TouchAsync(string meetingId, CancellationToken cancellationToken = default);

    Task<SpeakersState> SetTimeLimitAsync(string meetingId, int seconds, CancellationToken cancellationToken = default);
}
