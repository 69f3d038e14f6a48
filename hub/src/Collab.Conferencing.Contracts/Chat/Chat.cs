namespace Collab.Conferencing.Chat;

/// <summary>
/// A chat message; <see cref="Sequence"/> is assigned by the store, strictly increasing per meeting. A message a
/// moderator deleted keeps its place (sequence, sender, time) with <see cref="Deleted"/> set and no text.
/// </summary>
public sealed record ChatMessage(long Sequence, string ClientMessageId, string ParticipantId, string DisplayName, string Text, long SentAtUnixMs, bool Deleted = false);

/// <summary>
/// Messages in ascending sequence order. <see cref="HasMore"/>: more exist beyond this page in the direction asked.
/// <see cref="Truncated"/> (catch-up only): some messages after the requested sequence were already trimmed by
/// retention. <see cref="LastSequence"/>: the newest sequence of the meeting when the page was read.
/// </summary>
public sealed record ChatPage(IReadOnlyList<ChatMessage> Messages, bool HasMore, bool Truncated, long LastSequence);

public sealed record SendChatRequest(string? ClientMessageId, string? Text);
