using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Chat;

/// <summary>
/// Live chat: the store orders and deduplicates, then the message is pushed to the meeting. Each call acts in the
/// caller's scope (<see cref="Session.ScopeId"/>): the main room's chat, or the discussion room's the caller is in. A send is acknowledged
/// only after the store has accepted it; a failed push loses nothing, since clients catch up by sequence.
/// </summary>
public sealed class ChatService(
    IChatStore chat,
    ConnectionRegistry registry,
    Pushes.MeetingPushes pushes,
    Limits.ParticipantRateLimiter rateLimiter,
    ConferencingMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Stores and pushes one message. A <paramref name="charge"/> (the hub's rate limit for the call) is taken in the
    /// store's append step, with the meeting check: one store round trip per message.
    /// </summary>
    public async Task<ChatMessage> SendAsync(string connectionId, SendChatRequest? request, Limits.RateLimitCharge? charge = null, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        string clientMessageId, text;
        try
        {
            clientMessageId = Inputs.Id(request?.ClientMessageId, "clientMessageId");
            text = Inputs.Text(request?.Text, "Chat text", options.Value.MaxChatMessageLength, multiline: true);
        }
        catch (ConferencingException) when (charge is not null)
        {
            // A refused call costs its token too (a flood of bad messages drains the bucket like good ones), and an
            // empty bucket answers rate_limited first, as when the hub takes the token before the call.
            await rateLimiter.AcquireAsync(charge, cancellationToken);
            throw;
        }

        var draft = new ChatDraft(clientMessageId, session.ParticipantId, session.DisplayName, text, time.GetUtcNow().ToUnixTimeMilliseconds());

        // The meeting's state is checked, and the token taken, in the same store step as the append: one round trip.
        var outcome = await chat.AppendToOpenMeetingAsync(session.MeetingId, session.ScopeId, draft, charge, cancellationToken);
        var result = outcome.Refusal switch
        {
            ChatAppendRefusal.NoMeeting => throw ConferencingException.NotFound($"No meeting has the id '{session.MeetingId}'."),
            ChatAppendRefusal.Ended => throw ConferencingException.Conflict("This meeting has ended."),
            ChatAppendRefusal.ChatOff => throw ConferencingException.Conflict("Chat is turned off for this meeting."),
            ChatAppendRefusal.RateLimited => throw Limits.ParticipantRateLimiter.Refusal(charge!, outcome.RetryAfter),
            _ => outcome.Appended!,
        };
        if (result.Duplicate)
        {
            return result.Message;
        }

        metrics.ChatMessageAccepted();
        // Not to the sender's own connection: its invocation result carries the message.
        await pushes.ChatMessageAsync(session.ScopeId, result.Message, exceptConnectionId: connectionId, cancellationToken);

        return result.Message;
    }

    /// <summary>History paging: the newest messages before <paramref name="beforeSequence"/> (null: the newest), ascending.</summary>
    public async Task<ChatPage> GetHistoryAsync(string connectionId, long? beforeSequence, int limit, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        return await chat.GetBeforeAsync(session.ScopeId, beforeSequence, Inputs.PageSize(limit, options.Value.MaxChatPageSize), cancellationToken);
    }

    /// <summary>Catch-up: the messages after the last sequence the client saw, ascending; page until HasMore is false.</summary>
    public async Task<ChatPage> GetSinceAsync(string connectionId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        if (afterSequence < 0)
        {
            throw ConferencingException.Invalid($"afterSequence must be 0 or more; it was {afterSequence}.");
        }

        return await chat.GetAfterAsync(session.ScopeId, afterSequence, Inputs.PageSize(limit, options.Value.MaxChatPageSize), cancellationToken);
    }
}
