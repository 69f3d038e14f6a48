using Collab.Conferencing.Limits;

namespace Collab.Hub.Hubs;

/// <summary>Marks a hub method whose calls count against the caller's per-participant rate limit.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ParticipantRateLimitAttribute(RateLimitKind kind) : Attribute
{
    public RateLimitKind Kind { get; } = kind;
}
