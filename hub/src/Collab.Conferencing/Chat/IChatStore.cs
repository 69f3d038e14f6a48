
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Chat;

/// <summary>
/// A meeting's chat log. The store assigns sequence ids (strictly increasing per meeting, atomically across nodes),
/// remembers client message ids per participant so a resend returns the stored message instead of a copy, and keeps
/// only the newest <see cref="ConferencingOptions.ChatRetentionMessages"/> messages.
/// </summary>
public interface IChatStore
{
    Task<ChatAppendResult> AppendAsync(string meetingId, ChatDraft draft, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends to <paramref name="scopeId"/>'s chat (the meeting's or one of its rooms') only while
    /// <paramref name="meetingId"/> exists, has not ended and has chat on, checked in the same atomic step as the append
    /// (one store round trip); otherwise appends nothing and says why. With a <paramref name="charge"/>, the sender's
    /// rate-limit token is taken in that same step too (after the meeting check, before the append; a resend is
    /// charged like any call), so a chat message costs one round trip.
    /// </summary>
    Task<ChatAppendOutcome> AppendToOpenMeetingAsync(string meetingId, string scopeId, ChatDraft draft, Limits.RateLimitCharge? charge, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> newest messages with a sequence below <paramref name="beforeSequence"/> (null: the newest), ascending.</summary>
    Task<ChatPage> GetBeforeAsync(string meetingId, long? beforeSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> oldest messages with a sequence above <paramref name="afterSequence"/>, ascending.</summary>
    Task<ChatPage> GetAfterAsync(string meetingId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    Task<long> GetLastSequenceAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases a message's text for good, keeping its place as a deleted message (in history, catch-up and export).
    /// Returns it as it is now (deleting again returns the same); null when there is no such message (or retention trimmed it).
    /// </summary>
    Task<ChatMessage?> DeleteAsync(string meetingId, long sequence, CancellationToken cancellationToken = default);
}
