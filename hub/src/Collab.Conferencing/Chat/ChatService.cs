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
    IMeetingStore meetings,
    ConnectionRegistry registry,
    Pushes.MeetingPushes pushes,
    ConferencingMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time)
{
    public async Task<ChatMessage> SendAsync(string connectionId, SendChatRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var clientMessageId = Inputs.Id(request?.ClientMessageId, "clientMessageId");
        var text = Inputs.Text(request?.Text, "Chat text", options.Value.MaxChatMessageLength, multiline: true);
        var meeting = await meetings.RequireActiveMeetingAsync(session.MeetingId, cancellationToken);
        if (!meeting.ChatEnabled)
        {
            throw ConferencingException.Conflict("Chat is turned off for this meeting.");
        }

        var draft = new ChatDraft(clientMessageId, session.ParticipantId, session.DisplayName, text, time.GetUtcNow().ToUnixTimeMilliseconds());
        var result = await chat.AppendAsync(session.ScopeId, draft, cancellationToken);
        if (result.Duplicate)
        {
            return result.Message;
        }

        metrics.ChatMessageAccepted();
        await pushes.ChatMessageAsync(session.ScopeId, result.Message, cancellationToken);

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
