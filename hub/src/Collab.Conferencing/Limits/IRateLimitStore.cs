namespace Collab.Conferencing.Limits;

/// <summary>Whether a token was taken, and if not, how long until one is there.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Token buckets per participant and kind, shared by every node of a deployment (Redis: one atomic script per call
/// on the server's clock) or held by the one node (in memory). A bucket outlives connections: rejoining, or
/// connecting to another node, finds the same bucket; it is forgotten once it has refilled.
/// </summary>
public interface IRateLimitStore
{
    ValueTask<RateLimitDecision> TryTakeAsync(string meetingId, string participantId, RateLimitKind kind, double tokensPerSecond, int burst, CancellationToken cancellationToken = default);
}
