namespace Collab.Conferencing.Moderation;

/// <summary>Pushes a moderator's actions to a meeting's members on every node (the host implements it over SignalR). Best effort.</summary>
public interface IModerationNotifier
{
    Task ChatMessageDeletedAsync(string meetingId, ChatMessageDeletedView deleted, CancellationToken cancellationToken = default);
}
