
namespace Collab.Conferencing.Chat;

/// <summary>A message about to be stored; the store gives it its sequence.</summary>
public sealed record ChatDraft(string ClientMessageId, string ParticipantId, string DisplayName, string Text, long SentAtUnixMs);

/// <summary>The stored message, and whether it was already stored under the same client message id.</summary>
public sealed record ChatAppendResult(ChatMessage Message, bool Duplicate);

/// <summary>Why an append to an open meeting appended nothing (<see cref="None"/>: it was appended or was a resend).</summary>
public enum ChatAppendRefusal
{
    None,
    NoMeeting,
    Ended,
    ChatOff,
}

/// <summary>The append (null when refused) and the refusal, from one atomic store step.</summary>
public sealed record ChatAppendOutcome(ChatAppendResult? Appended, ChatAppendRefusal Refusal);
