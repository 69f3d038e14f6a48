using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>
/// Wrong join codes per meeting in a fixed window, shared by every node so a guesser gains nothing by spreading
/// attempts over nodes. Implementations: in memory, Redis.
/// </summary>
public interface IJoinAttemptStore
{
    /// <summary>The failures in the meeting's open window and the time left in it (zero when no window is open).</summary>
    Task<(int Failures, TimeSpan Remaining)> GetAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Counts a failure, opening a window of <paramref name="window"/> if none is open; returns the failures in the window.</summary>
    Task<int> RecordFailureAsync(string meetingId, TimeSpan window, CancellationToken cancellationToken = default);
}
