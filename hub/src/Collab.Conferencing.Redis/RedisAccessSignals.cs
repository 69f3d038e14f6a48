using Collab.Conferencing.Lobby;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Removals and participant changes between nodes, on the node signal channel (<see cref="RedisNodeSignals"/>) as
/// kinds <c>removed</c> and <c>changed</c>, each with <c>meetingId</c> and <c>participantId</c>.
/// </summary>
public sealed class RedisAccessSignals(RedisNodeSignals signals) : IAccessSignals
{
    public Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default)
    {
        signals.Handle("removed", signal => signal.ParticipantId is { } participantId ? removed(signal.MeetingId!, participantId) : Task.CompletedTask);
        return signals.StartAsync(cancellationToken);
    }

    public Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        signals.PublishAsync("access publish", new NodeSignal("removed", meetingId, participantId));

    public void OnChanged(Func<string, string, Task> changed) =>
        signals.Handle("changed", signal => signal.ParticipantId is { } participantId ? changed(signal.MeetingId!, participantId) : Task.CompletedTask);

    public Task PublishChangedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        signals.PublishAsync("access publish", new NodeSignal("changed", meetingId, participantId));
}
