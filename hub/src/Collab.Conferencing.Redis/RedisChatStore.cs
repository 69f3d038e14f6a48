using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Chat in a Redis Stream per meeting. One Lua script checks the client message id, takes the next sequence
/// (INCR), appends the entry with id <c>{sequence}-0</c> trimmed to the retention, and remembers the id with a TTL,
/// all atomically, so sequences are gapless and a resend on any node returns the stored message. A send checks the
/// meeting's state and takes the sender's rate-limit token in that same script: one round trip per message.
/// Entries carry <c>v</c>; readers ignore fields they do not know. Deleting a message removes its stream entry (its
/// text is gone) and keeps its place in a hash of deleted messages, merged into every read in sequence order; reads
/// cover the last <see cref="ConferencingOptions.ChatRetentionMessages"/> sequences, deleted ones included.
/// </summary>
public sealed class RedisChatStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ConferencingOptions> options, ILogger<RedisChatStore> logger) : IChatStore
{
    private const string AppendScript = AppendBody;

    // The same append behind the meeting's state, read from its hash (KEYS[4]) in the same script: {-1} no meeting,
    // {-2} ended, {-3} chat off; a refused resend appends nothing either.
    private const string MeetingCheck = """
        local meeting = redis.call('HMGET', KEYS[4], 'createdAt', 'endedAt', 'chatEnabled')
        if not meeting[1] then return {-1} end
        if meeting[2] then return {-2} end
        if meeting[3] == '0' then return {-3} end

        """;

    private const string OpenAppendScript = MeetingCheck + AppendBody;

    // ... and the sender's rate-limit token (bucket KEYS[5], ARGV[8] tokens per second, ARGV[9] burst) taken after the
    // meeting check, in the same script: {-4, milliseconds until a token is there} when the bucket is empty.
    private static readonly string s_chargedOpenAppendScript = MeetingCheck
        + "do\n" + RedisTokenBucketScript.Take("KEYS[5]", "ARGV[8]", "ARGV[9]") + "if allowed == 0 then return {-4, wait} end\nend\n"
        + AppendBody;

    // KEYS: idempotency, sequence, chat log. ARGV: idempotency ms, retention, cid, pid, name, text, at.
    private const string AppendBody = """
        local existing = redis.call('GET', KEYS[1])
        if existing then
          local entries = redis.call('XRANGE', KEYS[3], existing .. '-0', existing .. '-0')
          if #entries > 0 then return {1, existing, entries[1][2]} end
          return {1, existing}
        end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[2], seq .. '-0',
          'v', '1', 'cid', ARGV[3], 'pid', ARGV[4], 'name', ARGV[5], 'text', ARGV[6], 'at', ARGV[7])
        redis.call('SET', KEYS[1], seq, 'PX', ARGV[1])
        return {0, seq}
        """;

    // KEYS: chat log, deleted messages. ARGV: sequence. Returns {0} for no such entry, else {1, the deleted place (JSON)}.
    private const string DeleteScript = """
        local id = ARGV[1] .. '-0'
        local entries = redis.call('XRANGE', KEYS[1], id, id)
        if #entries == 0 then
          local existing = redis.call('HGET', KEYS[2], ARGV[1])
          if existing then return {1, existing} end
          return {0}
        end
        local f = entries[1][2]
        local fields = {}
        for i = 1, #f, 2 do fields[f[i]] = f[i + 1] end
        local place = cjson.encode({v = '1', cid = fields['cid'] or '', pid = fields['pid'] or '', name = fields['name'] or '', at = fields['at'] or '0'})
        redis.call('HSET', KEYS[2], ARGV[1], place)
        redis.call('XDEL', KEYS[1], id)
        return {1, place}
        """;

    public Task<ChatMessage?> DeleteAsync(string meetingId, long sequence, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.delete", async () =>
        {
            var last = await GetLastSequenceCoreAsync(meetingId);
            if (sequence <= last - options.Value.ChatRetentionMessages)
            {
                return null;
            }

            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(DeleteScript, [keys.ChatLog(meetingId), keys.ChatDeleted(meetingId)], [sequence]))!;
            return (int)result[0] == 0 ? null : Deleted(sequence, (string)result[1]!);
        });

    public Task<ChatAppendResult> AppendAsync(string meetingId, ChatDraft draft, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.append", async () =>
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(AppendScript, AppendKeys(meetingId, draft), AppendArguments(draft)))!;
            return await ReadAppendAsync(meetingId, draft, result);
        });

    public Task<ChatAppendOutcome> AppendToOpenMeetingAsync(string meetingId, string scopeId, ChatDraft draft, RateLimitCharge? charge, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.append", async () =>
        {
            RedisKey[] appendKeys = charge is null
                ? [.. AppendKeys(scopeId, draft), keys.Meeting(meetingId)]
                : [.. AppendKeys(scopeId, draft), keys.Meeting(meetingId), keys.RateLimit(charge.MeetingId, charge.ParticipantId, charge.Kind)];
            RedisValue[] arguments = charge is null ? AppendArguments(draft) : [.. AppendArguments(draft), charge.TokensPerSecond, charge.Burst];
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(charge is null ? OpenAppendScript : s_chargedOpenAppendScript, appendKeys, arguments))!;
            return (int)result[0] switch
            {
                -1 => new ChatAppendOutcome(null, ChatAppendRefusal.NoMeeting),
                -2 => new ChatAppendOutcome(null, ChatAppendRefusal.Ended),
                -3 => new ChatAppendOutcome(null, ChatAppendRefusal.ChatOff),
                -4 => new ChatAppendOutcome(null, ChatAppendRefusal.RateLimited, TimeSpan.FromMilliseconds((long)result[1])),
                _ => new ChatAppendOutcome(await ReadAppendAsync(scopeId, draft, result), ChatAppendRefusal.None),
            };
        });

    private RedisKey[] AppendKeys(string meetingId, ChatDraft draft) =>
        [keys.ChatIdempotency(meetingId, draft.ParticipantId, draft.ClientMessageId), keys.ChatSequence(meetingId), keys.ChatLog(meetingId)];

    private RedisValue[] AppendArguments(ChatDraft draft) =>
        [(long)TimeSpan.FromHours(options.Value.ChatIdempotencyHours).TotalMilliseconds, options.Value.ChatRetentionMessages,
            draft.ClientMessageId, draft.ParticipantId, draft.DisplayName, draft.Text, draft.SentAtUnixMs];

    private async Task<ChatAppendResult> ReadAppendAsync(string meetingId, ChatDraft draft, RedisResult[] result)
    {
        var duplicate = (int)result[0] == 1;
        var sequence = (long)result[1];
        if (duplicate && result.Length > 2)
        {
            var stored = (RedisResult[])result[2]!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < stored.Length; i += 2)
            {
                fields[(string)stored[i]!] = (string)stored[i + 1]!;
            }

            return new ChatAppendResult(ToMessage(sequence, fields), Duplicate: true);
        }

        if (duplicate && await Database.HashGetAsync(keys.ChatDeleted(meetingId), sequence) is { IsNull: false } place)
        {
            return new ChatAppendResult(Deleted(sequence, place.ToString()), Duplicate: true);
        }

        // A duplicate whose entry was trimmed already: the resend carries the same content.
        return new ChatAppendResult(new ChatMessage(sequence, draft.ClientMessageId, draft.ParticipantId, draft.DisplayName, draft.Text, draft.SentAtUnixMs), duplicate);
    }

    public Task<ChatPage> GetBeforeAsync(string meetingId, long? beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.before", async () =>
        {
            var last = await GetLastSequenceCoreAsync(meetingId);
            if (beforeSequence is <= 1)
            {
                return new ChatPage([], HasMore: false, Truncated: false, last);
            }

            var maxId = beforeSequence is { } before ? $"{before - 1}-0" : "+";
            var entries = Database.StreamRangeAsync(keys.ChatLog(meetingId), "-", maxId, limit + 1, Order.Descending);
            var deleted = await DeletedAsync(meetingId);
            var first = last - options.Value.ChatRetentionMessages;
            var below = beforeSequence ?? long.MaxValue;
            var merged = (await entries).Select(ToMessage).Concat(deleted.Where(m => m.Sequence < below))
                .Where(m => m.Sequence > first).OrderByDescending(m => m.Sequence).Take(limit + 1).ToList();
            return new ChatPage([.. merged.Take(limit).Reverse()], HasMore: merged.Count > limit, Truncated: false, last);
        });

    public Task<ChatPage> GetAfterAsync(string meetingId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.after", async () =>
        {
            var last = await GetLastSequenceCoreAsync(meetingId);
            var entries = Database.StreamRangeAsync(keys.ChatLog(meetingId), $"{afterSequence + 1}-0", "+", limit + 1, Order.Ascending);
            var deleted = await DeletedAsync(meetingId);
            var first = last - options.Value.ChatRetentionMessages;
            var merged = (await entries).Select(ToMessage).Concat(deleted.Where(m => m.Sequence > afterSequence))
                .Where(m => m.Sequence > first).OrderBy(m => m.Sequence).Take(limit + 1).ToList();
            var messages = merged.Take(limit).ToList();
            var truncated = messages.Count > 0 && messages[0].Sequence > afterSequence + 1;
            return new ChatPage(messages, HasMore: merged.Count > limit, truncated, last);
        });

    public Task<long> GetLastSequenceAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "chat.last", () => GetLastSequenceCoreAsync(meetingId));

    private async Task<long> GetLastSequenceCoreAsync(string meetingId)
    {
        var value = await Database.StringGetAsync(keys.ChatSequence(meetingId));
        return value.IsNull ? 0 : (long)value;
    }

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Every deleted message's place (few: only moderators delete).</summary>
    private async Task<IEnumerable<ChatMessage>> DeletedAsync(string meetingId) =>
        (await Database.HashGetAllAsync(keys.ChatDeleted(meetingId)))
            .Select(entry => Deleted(long.Parse(entry.Name.ToString(), CultureInfo.InvariantCulture), entry.Value.ToString()));

    private static ChatMessage Deleted(long sequence, string place)
    {
        var fields = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(place) ?? [];
        return ToMessage(sequence, fields) with { Text = string.Empty, Deleted = true };
    }

    private static ChatMessage ToMessage(StreamEntry entry)
    {
        var id = entry.Id.ToString();
        var sequence = long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        return ToMessage(sequence, entry.Values.ToDictionary(value => value.Name.ToString(), value => value.Value.ToString(), StringComparer.Ordinal));
    }

    private static ChatMessage ToMessage(long sequence, Dictionary<string, string> fields) => new(
        sequence,
        fields.GetValueOrDefault("cid", string.Empty),
        fields.GetValueOrDefault("pid", string.Empty),
        fields.GetValueOrDefault("name", string.Empty),
        fields.GetValueOrDefault("text", string.Empty),
        long.Parse(fields.GetValueOrDefault("at", "0"), CultureInfo.InvariantCulture));
}
