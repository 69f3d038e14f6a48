
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

    /// <summary>The sender's rate-limit bucket, taken from in the same step, had no token (see <see cref="ChatAppendOutcome.RetryAfter"/>).</summary>
    RateLimited,
}

/// <summary>The append (null when refused) and the refusal, from one atomic store step; a rate-limited one says when a token is there.</summary>
public sealed record ChatAppendOutcome(ChatAppendResult? Appended, ChatAppendRefusal Refusal, TimeSpan RetryAfter = default);
