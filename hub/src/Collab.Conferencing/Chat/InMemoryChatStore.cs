using Microsoft.Extensions.Options;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Chat;

/// <summary>
/// Chat logs in this process; one lock per meeting keeps sequence assignment and idempotency atomic. With the meetings
/// store (<paramref name="meetings"/>, the in-memory one: its reads complete at once), an append to an open meeting
/// reads the meeting's state under the same lock as the append, and with the rate-limit store
/// (<paramref name="rateLimits"/>) takes the sender's token there too.
/// </summary>
public sealed class InMemoryChatStore(IOptions<ConferencingOptions> options, TimeProvider time, IMeetingStore? meetings = null, IRateLimitStore? rateLimits = null) : IChatStore, IMeetingEviction
{
    private readonly Dictionary<string, MeetingChat> _meetings = new(StringComparer.Ordinal);

    public Task<ChatAppendResult> AppendAsync(string meetingId, ChatDraft draft, CancellationToken cancellationToken = default)
    {
        var chat = ChatOf(meetingId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var idempotencyMs = (long)TimeSpan.FromHours(options.Value.ChatIdempotencyHours).TotalMilliseconds;
        lock (chat)
        {
            var key = (draft.ParticipantId, draft.ClientMessageId);
            while (chat.IdempotencyOrder.TryPeek(out var oldest, out var expiresAt) && expiresAt <= now)
            {
                chat.IdempotencyOrder.Dequeue();
                chat.Idempotency.Remove(oldest);
            }

            if (chat.Idempotency.TryGetValue(key, out var existing))
            {
                return Task.FromResult(new ChatAppendResult(existing, Duplicate: true));
            }

            var message = new ChatMessage(++chat.LastSequence, draft.ClientMessageId, draft.ParticipantId, draft.DisplayName, draft.Text, draft.SentAtUnixMs);
            chat.Messages.Add(message);
            var excess = chat.Messages.Count - options.Value.ChatRetentionMessages;
            if (excess > 0)
            {
                chat.Messages.RemoveRange(0, excess);
            }

            chat.Idempotency[key] = message;
            chat.IdempotencyOrder.Enqueue(key, now + idempotencyMs);
            return Task.FromResult(new ChatAppendResult(message, Duplicate: false));
        }
    }

    public async Task<ChatAppendOutcome> AppendToOpenMeetingAsync(string meetingId, string scopeId, ChatDraft draft, RateLimitCharge? charge, CancellationToken cancellationToken = default)
    {
        if (meetings is null)
        {
            throw new InvalidOperationException("This chat store was made without the meetings store; give it one to append to open meetings.");
        }

        if (charge is not null && rateLimits is null)
        {
            throw new InvalidOperationException("This chat store was made without the rate-limit store; give it one to take a charge with the append.");
        }

        var chat = ChatOf(scopeId);
        Task<Meeting?> read;
        lock (chat)
        {
            read = meetings.GetAsync(meetingId, cancellationToken);
            if (read.IsCompleted)
            {
                // The in-memory stores answer at once: the state is read, the token taken and the message appended in one step.
                if (Check(read.Result) is { } refusal)
                {
                    return new ChatAppendOutcome(null, refusal);
                }

                var take = Take(charge, cancellationToken);
                if (take.IsCompleted)
                {
                    return take.Result is { Allowed: false } refused
                        ? new ChatAppendOutcome(null, ChatAppendRefusal.RateLimited, refused.RetryAfter)
                        : new ChatAppendOutcome(AppendAsync(scopeId, draft, cancellationToken).Result, ChatAppendRefusal.None);
                }
            }
        }

        // Another store's read would not finish under the lock: read, take, then append (separate steps).
        if (Check(await read) is { } late)
        {
            return new ChatAppendOutcome(null, late);
        }

        return await Take(charge, cancellationToken) is { Allowed: false } lateRefusal
            ? new ChatAppendOutcome(null, ChatAppendRefusal.RateLimited, lateRefusal.RetryAfter)
            : new ChatAppendOutcome(await AppendAsync(scopeId, draft, cancellationToken), ChatAppendRefusal.None);

        static ChatAppendRefusal? Check(Meeting? meeting) => meeting switch
        {
            null => ChatAppendRefusal.NoMeeting,
            { HasEnded: true } => ChatAppendRefusal.Ended,
            { ChatEnabled: false } => ChatAppendRefusal.ChatOff,
            _ => null,
        };
    }

    private ValueTask<RateLimitDecision> Take(RateLimitCharge? charge, CancellationToken cancellationToken) => charge is null
        ? ValueTask.FromResult(new RateLimitDecision(true, TimeSpan.Zero))
        : rateLimits!.TryTakeAsync(charge.MeetingId, charge.ParticipantId, charge.Kind, charge.TokensPerSecond, charge.Burst, cancellationToken);

    public Task<ChatPage> GetBeforeAsync(string meetingId, long? beforeSequence, int limit, CancellationToken cancellationToken = default)
    {
        var chat = ChatOf(meetingId);
        lock (chat)
        {
            var before = beforeSequence ?? long.MaxValue;
            var end = chat.Messages.FindLastIndex(message => message.Sequence < before) + 1;
            var start = Math.Max(0, end - limit);
            return Task.FromResult(new ChatPage(chat.Messages[start..end], HasMore: start > 0, Truncated: false, chat.LastSequence));
        }
    }

    public Task<ChatPage> GetAfterAsync(string meetingId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var chat = ChatOf(meetingId);
        lock (chat)
        {
            var start = chat.Messages.FindIndex(message => message.Sequence > afterSequence);
            if (start < 0)
            {
                return Task.FromResult(new ChatPage([], HasMore: false, Truncated: false, chat.LastSequence));
            }

            var end = Math.Min(chat.Messages.Count, start + limit);
            var truncated = chat.Messages[start].Sequence > afterSequence + 1;
            return Task.FromResult(new ChatPage(chat.Messages[start..end], HasMore: end < chat.Messages.Count, truncated, chat.LastSequence));
        }
    }

    public Task<long> GetLastSequenceAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var chat = ChatOf(meetingId);
        lock (chat)
        {
            return Task.FromResult(chat.LastSequence);
        }
    }

    public Task<ChatMessage?> DeleteAsync(string meetingId, long sequence, CancellationToken cancellationToken = default)
    {
        var chat = ChatOf(meetingId);
        lock (chat)
        {
            var index = chat.Messages.FindIndex(message => message.Sequence == sequence);
            if (index < 0)
            {
                return Task.FromResult<ChatMessage?>(null);
            }

            var deleted = chat.Messages[index] with { Text = string.Empty, Deleted = true };
            chat.Messages[index] = deleted;
            foreach (var key in chat.Idempotency.Where(entry => entry.Value.Sequence == sequence).Select(entry => entry.Key).ToList())
            {
                chat.Idempotency[key] = deleted;
            }

            return Task.FromResult<ChatMessage?>(deleted);
        }
    }

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            _meetings.Remove(meetingId);
            foreach (var scope in _meetings.Keys.Where(key => Rooms.RoomScopes.Parse(key).MeetingId == meetingId).ToList())
            {
                _meetings.Remove(scope); // the meeting's discussion rooms
            }
        }

        return Task.CompletedTask;
    }

    private MeetingChat ChatOf(string meetingId)
    {
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out var chat))
            {
                chat = new MeetingChat();
                _meetings.Add(meetingId, chat);
            }

            return chat;
        }
    }

    private sealed class MeetingChat
    {
        public long LastSequence { get; set; }

        public List<ChatMessage> Messages { get; } = [];

        public Dictionary<(string ParticipantId, string ClientMessageId), ChatMessage> Idempotency { get; } = [];

        public PriorityQueue<(string ParticipantId, string ClientMessageId), long> IdempotencyOrder { get; } = new();
    }
}
