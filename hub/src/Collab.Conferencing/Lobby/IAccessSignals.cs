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

    /// <summary>
    /// Hears the other nodes' "participant changed" signals (a rename, a promotion or demotion); register before the
    /// host starts. Each node then reads the participant from the store and updates the sessions it serves.
    /// </summary>
    void OnChanged(Func<string, string, Task> changed);

    Task PublishChangedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);
}

/// <summary>A single node: nothing to tell.</summary>
public sealed class LocalAccessSignals : IAccessSignals
{
    public Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void OnChanged(Func<string, string, Task> changed)
    {
    }

    public Task PublishChangedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
