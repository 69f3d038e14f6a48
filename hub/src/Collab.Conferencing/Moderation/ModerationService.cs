using Collab.Conferencing.Audio;
using Microsoft.Extensions.Logging;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Moderation;

/// <summary>
/// What a moderator does to the meeting as a whole: delete a chat message (its text erased from the log for everyone,
/// live and in history; the export keeps that it was deleted), lower every hand, mute everyone but the moderators.
/// That only moderators call these, and only in a meeting that has not ended, is the hub's rule.
/// </summary>
public sealed class ModerationService(
    IChatStore chat,
    ConnectionRegistry registry,
    PresenceService presence,
    FloorService floor,
    IModerationNotifier notifier,
    Pushes.BestEffortPushes pushes)
{
    public async Task<ChatMessage> DeleteChatMessageAsync(string connectionId, long sequence, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        if (sequence < 1)
        {
            throw ConferencingException.Invalid($"sequence must be 1 or more; it was {sequence}.");
        }

        var deleted = await chat.DeleteAsync(session.ScopeId, sequence, cancellationToken)
            ?? throw ConferencingException.NotFound($"No chat message {sequence} in this meeting (or it is past retention).");
        await pushes.RunAsync("chat message deleted", session.ScopeId, () => notifier.ChatMessageDeletedAsync(session.ScopeId, new ChatMessageDeletedView(sequence), cancellationToken), cancellationToken);

        return deleted;
    }

    public async Task<HandsLoweredView> LowerAllHandsAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        return new HandsLoweredView(await presence.LowerAllHandsAsync(session.MeetingId, cancellationToken));
    }

    /// <summary>Mutes everyone present but the moderators (those who join later are not muted); unmute one by one.</summary>
    public async Task<FloorView> MuteAllAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var present = await presence.ListAsync(session.MeetingId, cancellationToken);
        var others = present.Where(view => view.Role != ParticipantRole.Moderator).Select(view => view.ParticipantId).ToList();
        return await floor.MuteAllAsync(session.MeetingId, others, cancellationToken);
    }
}
