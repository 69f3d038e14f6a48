using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Presence;

/// <summary>
/// A node's lease must outlive at least two of its heartbeats, or a healthy node would lose its lease between two
/// renewals (and its participants would leave and rejoin) whenever one heartbeat runs late.
/// </summary>
public sealed class PresenceOptionsValidator : IValidateOptions<ConferencingOptions>
{
    public ValidateOptionsResult Validate(string? name, ConferencingOptions options) =>
        options.PresenceTimeoutSeconds < 2 * options.HeartbeatIntervalSeconds
            ? ValidateOptionsResult.Fail($"Collab:Conferencing:PresenceTimeoutSeconds ({options.PresenceTimeoutSeconds}) must be at least twice HeartbeatIntervalSeconds ({options.HeartbeatIntervalSeconds}): a node's presence lease has to outlive a late heartbeat.")
            : ValidateOptionsResult.Success;
}
