
namespace Collab.Conferencing.Presence;

/// <summary>Who hears of a join, a leave or a raised hand.</summary>
public enum PresenceAudience
{
    /// <summary>Everyone in the meeting (up to <see cref="ConferencingOptions.PresenceBroadcastLimit"/> present).</summary>
    Everyone,

    /// <summary>The moderators only: in a larger meeting, pushing every join to everyone would cost O(N²).</summary>
    Moderators,
}
