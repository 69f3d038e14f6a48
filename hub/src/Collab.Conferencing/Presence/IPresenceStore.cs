
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Presence;

/// <summary>
/// Who is present in each meeting, by node lease. Each node holds a lease (renewed every heartbeat: one store call per
/// node, whatever its audience) and records under it the participants it serves; a participant is present while at
/// least one node holds it. Idle time writes nothing per participant. When a node's lease lapses, one node claims it
/// and sweeps its records: each participant no other node holds leaves, exactly once.
/// </summary>
/// <remarks>
/// A node whose lease was lost (it stalled past the timeout, or the store lost it) never renews it: it takes a new
/// node id and records its participants again under that one, so a sweep of the old id and the new records never
/// mix. Ids are letters, digits and '-_.:' (node ids: the same).
/// </remarks>
public interface IPresenceStore
{
    /// <summary>Takes a lease for a new node id, expiring at <paramref name="expiresAtUnixMs"/> unless renewed.</summary>
    Task AcquireLeaseAsync(string nodeId, long expiresAtUnixMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// One heartbeat of a node: renews its lease if it still holds it (a lease past its expiry is never renewed, even
    /// before anyone claims it), tells how many participants are recorded under
    /// it, and claims up to <paramref name="maxClaims"/> lapsed leases of other nodes (and claims whose sweeper did not
    /// finish by their deadline) until <paramref name="claimUntilUnixMs"/>; each is claimed by one caller at a time.
    /// </summary>
    Task<LeaseHeartbeat> HeartbeatAsync(string nodeId, long nowUnixMs, long expiresAtUnixMs, long claimUntilUnixMs, int maxClaims, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="nodeId"/> serves the participant (keeping a raised hand). <see cref="PresenceChange.Joined"/>
    /// when no node held it before, <see cref="PresenceChange.None"/> when one did, <see cref="PresenceChange.LeaseLost"/>
    /// (nothing written) when the node's lease is gone or past its expiry at <paramref name="nowUnixMs"/>.
    /// </summary>
    Task<PresenceChange> ArriveAsync(string meetingId, string nodeId, ParticipantView participant, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="nodeId"/> no longer serves the participant; holders whose leases lapsed are dropped too.
    /// <see cref="PresenceChange.Left"/> when no node holds it any more (the entry is removed, for exactly one caller).
    /// </summary>
    Task<PresenceChange> DepartAsync(string meetingId, string nodeId, string participantId, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sweeps up to <paramref name="max"/> records of a claimed node; returns those who left (no other node holds them),
    /// each to exactly one caller, and whether the node is done (its records and claim are gone).
    /// </summary>
    Task<NodeSweep> SweepNodeAsync(string nodeId, int max, CancellationToken cancellationToken = default);

    /// <summary>The participants recorded under a node (to reconcile with the connections it really has).</summary>
    Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> NodeParticipantsAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Raises or lowers the hand; the updated view, or null when not present.</summary>
    Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default);

    /// <summary>A participant's new name and role (a rename, a promotion or demotion), keeping the hand; the updated view, or null when not present.</summary>
    Task<ParticipantView?> UpdateAsync(string meetingId, string participantId, string displayName, ParticipantRole role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Present participants, ordered by display name, then id: those held by at least one node whose lease has not
    /// lapsed at <paramref name="nowUnixMs"/> (a dead node's participants drop out of lists before the sweep).
    /// </summary>
    Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many entries the meeting has, in O(1): entries of a lapsed node not yet swept (at most a heartbeat) still
    /// count, so it is a count for display and thresholds, not an exact roll call.
    /// </summary>
    Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default);
}

/// <summary>What a presence write did to the meeting's list.</summary>
public enum PresenceChange
{
    None,
    Joined,
    Left,
    LeaseLost,
}

/// <summary>A node's heartbeat: whether it still holds its lease, how many participants it has recorded, and the lapsed nodes it claimed.</summary>
public sealed record LeaseHeartbeat(bool LeaseHeld, int Recorded, IReadOnlyList<string> Claimed);

/// <summary>Part of a claimed node's sweep: who left, and whether the node is fully swept.</summary>
public sealed record NodeSweep(IReadOnlyList<(string MeetingId, string ParticipantId)> Left, bool Done);
