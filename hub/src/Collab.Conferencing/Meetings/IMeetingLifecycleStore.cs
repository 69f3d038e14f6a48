using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>
/// The deployment's live meetings (for the bound on how many may run, and to end those nobody is in) and its ended
/// ones (to evict them once their retention has passed). Implementations: in memory, Redis (sorted sets, the bound
/// taken in one atomic script so it holds across nodes).
/// </summary>
public interface IMeetingLifecycleStore
{
    /// <summary>Registers a new live meeting unless the deployment already has <paramref name="maxLive"/>; true when it is live.</summary>
    Task<bool> TryAddLiveAsync(string meetingId, long nowUnixMs, int maxLive, CancellationToken cancellationToken = default);

    Task<int> CountLiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Someone is in these meetings now (meetings that are no longer live are left alone).</summary>
    Task MarkOccupiedAsync(IReadOnlyCollection<string> meetingIds, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Live meetings nobody has been in since <paramref name="cutoffUnixMs"/> (or, never joined, created before it), oldest first.</summary>
    Task<IReadOnlyList<string>> ListIdleAsync(long cutoffUnixMs, int max, CancellationToken cancellationToken = default);

    /// <summary>The meeting ended: it leaves the live meetings and waits for eviction, counted from <paramref name="endedAtUnixMs"/>.</summary>
    Task MarkEndedAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Ended meetings whose retention has passed (ended before <paramref name="endedBeforeUnixMs"/>): returned once, oldest first.</summary>
    Task<IReadOnlyList<string>> TakeExpiredAsync(long endedBeforeUnixMs, int max, CancellationToken cancellationToken = default);
}

/// <summary>
/// A store that holds a meeting's data in this process and drops it when the meeting's retention has passed. The
/// Redis stores need none: ending a meeting sets the retention as the expiry of every key of the meeting.
/// </summary>
public interface IMeetingEviction
{
    Task EvictAsync(string meetingId, CancellationToken cancellationToken = default);
}
