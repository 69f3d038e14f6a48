using Collab.Conferencing.Model;

namespace Collab.Conferencing.Stores;

/// <summary>
/// Who is present in each meeting. Every entry expires unless refreshed: a node refreshes the entries of its
/// connections; when a node dies its entries expire and any node's sweep removes them (exactly once).
/// </summary>
public interface IPresenceStore
{
    /// <summary>Adds or refreshes the entry (keeping a raised hand); true when the participant was not present before.</summary>
    Task<bool> UpsertAsync(string meetingId, PresenceEntry entry, long expiresAtUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Extends an existing entry; false when the participant is not present (expired or removed).</summary>
    Task<bool> TouchAsync(string meetingId, string participantId, long expiresAtUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Raises or lowers the hand; the updated view, or null when not present.</summary>
    Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry if <paramref name="connectionId"/> owns it (null: whoever owns it); true when removed.</summary>
    Task<bool> RemoveAsync(string meetingId, string participantId, string? connectionId, CancellationToken cancellationToken = default);

    /// <summary>Present participants whose entries have not expired at <paramref name="nowUnixMs"/>, ordered by display name, then id.</summary>
    Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many entries the meeting has, in O(1): entries expired but not yet swept (at most a heartbeat old) still
    /// count, so it is a count for display and thresholds, not an exact roll call.
    /// </summary>
    Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Removes up to <paramref name="max"/> entries expired at <paramref name="nowUnixMs"/> in any meeting; each is returned to exactly one caller.</summary>
    Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> RemoveExpiredAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default);
}
