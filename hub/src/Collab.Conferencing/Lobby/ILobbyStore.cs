namespace Collab.Conferencing.Lobby;

/// <summary>
/// A meeting's lobby and lock settings, who waits in its lobby, and who may not come back (removed or denied).
/// Implementations: in memory, Redis. Every change returns the state after it, with its version.
/// </summary>
public interface ILobbyStore
{
    Task<LobbyState> GetAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Sets the lobby setting, the lock, or both (null leaves one as it is).</summary>
    Task<LobbyState> SetAsync(string meetingId, bool? enabled, bool? locked, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts <paramref name="waiter"/> in the lobby (replacing an entry of the same id, which keeps its place); null when
    /// <paramref name="maxWaiting"/> others already wait.
    /// </summary>
    Task<LobbyState?> AddWaiterAsync(string meetingId, Waiter waiter, int maxWaiting, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a waiter out of the lobby, atomically, so of two moderators admitting the same person one gets it. With
    /// <paramref name="connectionId"/>, only while that connection is the one waiting (a waiter who reconnected
    /// elsewhere keeps its place). With <paramref name="exclude"/>, records the exclusion in the same step.
    /// </summary>
    Task<(Waiter? Taken, LobbyState State)> TakeWaiterAsync(string meetingId, string waiterId, string? connectionId, Exclusion? exclude, CancellationToken cancellationToken = default);

    /// <summary>Records that the participant may not come back into the meeting.</summary>
    Task ExcludeAsync(string meetingId, string participantId, Exclusion exclusion, CancellationToken cancellationToken = default);

    Task<Exclusion?> GetExclusionAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);
}
