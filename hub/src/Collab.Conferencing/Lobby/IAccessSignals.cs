namespace Collab.Conferencing.Lobby;

/// <summary>
/// Tells every other node of the deployment that a participant was removed, so each closes that participant's
/// connections it serves and forgets its cached membership (in memory: there is no other node; with Redis: one
/// pub/sub channel for the deployment, a removal being rare). The publishing node applies the removal itself.
/// </summary>
public interface IAccessSignals
{
    /// <summary>Starts hearing the other nodes' removals.</summary>
    Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default);

    Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);
}

/// <summary>A single node: nothing to tell.</summary>
public sealed class LocalAccessSignals : IAccessSignals
{
    public Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
