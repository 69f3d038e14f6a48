using System.Globalization;
using System.Text.Json;
using Collab.Conferencing.Qa;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Questions in five hashes and a set per meeting (one hash slot). Asking, upvoting and a moderator's change are each
/// one Lua script, so an upvote is counted once however many nodes and resends deliver it, the count moves with the
/// upvote set, and a highlight moves from one question to another atomically.
/// </summary>
public sealed class RedisQuestionStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisQuestionStore> logger) : IQuestionStore
{
    // KEYS: qa, questions, client ids. ARGV: client id field, max questions, question document.
    // Returns {outcome (1 accepted, 2 duplicate, 0 full), question id}.
    private const string AskScript = """
        local existing = redis.call('HGET', KEYS[3], ARGV[1])
        if existing then return {2, existing} end
        if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[2]) then return {0, ''} end
        local id = 'q' .. redis.call('HINCRBY', KEYS[1], 'seq', 1)
        redis.call('HSET', KEYS[2], id, ARGV[3])
        redis.call('HSET', KEYS[3], ARGV[1], id)
        return {1, id}
        """;

    // KEYS: questions, state, upvotes. ARGV: question id, upvote member, 1 (set) or 0 (withdraw).
    // Returns {changed (1/0, -1 unknown question), votes, version}.
    private const string UpvoteScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {-1, 0, 0} end
        local changed
        if ARGV[3] == '1' then changed = redis.call('SADD', KEYS[3], ARGV[2]) else changed = redis.call('SREM', KEYS[3], ARGV[2]) end
        if changed == 1 then
          local delta = 1
          if ARGV[3] ~= '1' then delta = -1 end
          return {1, redis.call('HINCRBY', KEYS[2], ARGV[1] .. ':votes', delta), redis.call('HINCRBY', KEYS[2], ARGV[1] .. ':v', 1)}
        end
        return {0, tonumber(redis.call('HGET', KEYS[2], ARGV[1] .. ':votes') or '0'), tonumber(redis.call('HGET', KEYS[2], ARGV[1] .. ':v') or '0')}
        """;

    // KEYS: qa, questions, state. ARGV: question id, bits to set, bits to clear, 1 when the change is a highlight.
    // Returns {0} for an unknown question, else {1, ids of the questions whose flags changed...}.
    private const string ChangeScript = """
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return {0} end
        local changed = {1}
        local function apply(id, set, clear)
          local field = id .. ':flags'
          local flags = tonumber(redis.call('HGET', KEYS[3], field) or '0')
          local updated = bit.band(bit.bor(flags, set), bit.bnot(clear))
          if updated == flags then return end
          redis.call('HSET', KEYS[3], field, updated)
          redis.call('HINCRBY', KEYS[3], id .. ':v', 1)
          if bit.band(updated, 4) ~= 0 then
            redis.call('HSET', KEYS[1], 'highlighted', id)
          elseif redis.call('HGET', KEYS[1], 'highlighted') == id then
            redis.call('HDEL', KEYS[1], 'highlighted')
          end
          table.insert(changed, id)
        end
        if ARGV[4] == '1' then
          local previous = redis.call('HGET', KEYS[1], 'highlighted')
          if previous and previous ~= ARGV[1] then apply(previous, 0, 4) end
        end
        apply(ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
        return changed
        """;

    public Task<AskResult> AskAsync(string meetingId, QuestionDraft draft, int maxQuestions, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.ask", async () =>
        {
            var document = JsonSerializer.Serialize(new QuestionDocument(1, draft.AuthorId, draft.DisplayName, draft.Text, draft.AskedAtUnixMs));
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(AskScript,
                [keys.Qa(meetingId), keys.QaQuestions(meetingId), keys.QaClientIds(meetingId)],
                [$"{draft.AskerId}|{draft.ClientQuestionId}", maxQuestions, document]))!;
            var outcome = (int)result[0];
            var id = (string)result[1]!;
            return outcome switch
            {
                1 => new AskResult(new Question(meetingId, id, Number(id), draft.AuthorId, draft.DisplayName, draft.Text, draft.AskedAtUnixMs, QuestionFlags.None, 0, 0), AskOutcome.Accepted),
                2 => new AskResult(await GetCoreAsync(meetingId, id), AskOutcome.Duplicate),
                _ => new AskResult(null, AskOutcome.Full),
            };
        });

    public Task<Question?> GetAsync(string meetingId, string questionId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.get", () => GetCoreAsync(meetingId, questionId));

    public Task<IReadOnlyList<Question>> ListAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<Question>>(logger, "qa.list", async () =>
        {
            var documents = Database.HashGetAllAsync(keys.QaQuestions(meetingId));
            var state = (await Database.HashGetAllAsync(keys.QaState(meetingId)))
                .ToDictionary(entry => entry.Name.ToString(), entry => (long)entry.Value, StringComparer.Ordinal);
            return [.. (await documents)
                .Select(entry => Read(meetingId, entry.Name.ToString(), entry.Value, state.GetValueOrDefault))
                .OrderBy(question => question.Number)];
        });

    public Task<UpvoteResult?> SetUpvoteAsync(string meetingId, string questionId, string participantId, bool upvote, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.upvote", async () =>
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(UpvoteScript,
                [keys.QaQuestions(meetingId), keys.QaState(meetingId), keys.QaUpvotes(meetingId)],
                [questionId, $"{questionId}|{participantId}", upvote ? 1 : 0]))!;
            var changed = (int)result[0];
            return changed < 0 ? null : new UpvoteResult(changed == 1, (int)result[1], (long)result[2]);
        });

    public Task<IReadOnlyList<string>> GetUpvotedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<string>>(logger, "qa.upvoted", async () =>
        {
            var ids = (await Database.HashKeysAsync(keys.QaQuestions(meetingId))).Select(id => id.ToString()).OrderBy(Number).ToArray();
            if (ids.Length == 0)
            {
                return [];
            }

            var upvoted = await Database.SetContainsAsync(keys.QaUpvotes(meetingId), [.. ids.Select(id => (RedisValue)$"{id}|{participantId}")]);
            return [.. ids.Where((_, index) => upvoted[index])];
        });

    public Task<IReadOnlyList<Question>?> ChangeAsync(string meetingId, string questionId, QuestionChange change, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.change", async () =>
        {
            var (set, clear) = QuestionFlagRules.Bits(change);
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(ChangeScript,
                [keys.Qa(meetingId), keys.QaQuestions(meetingId), keys.QaState(meetingId)],
                [questionId, (int)set, (int)clear, change == QuestionChange.Highlight ? 1 : 0]))!;
            if ((int)result[0] == 0)
            {
                return null;
            }

            var changed = new List<Question>();
            foreach (var id in result.Skip(1).Select(id => (string)id!))
            {
                if (await GetCoreAsync(meetingId, id) is { } question)
                {
                    changed.Add(question);
                }
            }

            return (IReadOnlyList<Question>?)changed;
        });

    public Task<QaSettings> GetSettingsAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.settings", async () =>
            new QaSettings(AllowAnonymous: await Database.HashGetAsync(keys.Qa(meetingId), "anonymous") == 1));

    public Task SetSettingsAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "qa.settings.set", () => Database.HashSetAsync(keys.Qa(meetingId), "anonymous", settings.AllowAnonymous ? 1 : 0));

    private IDatabase Database => redis.GetDatabase();

    private async Task<Question?> GetCoreAsync(string meetingId, string questionId)
    {
        var document = Database.HashGetAsync(keys.QaQuestions(meetingId), questionId);
        var state = await Database.HashGetAsync(keys.QaState(meetingId), [$"{questionId}:votes", $"{questionId}:flags", $"{questionId}:v"]);
        var value = await document;
        if (value.IsNull)
        {
            return null;
        }

        return Read(meetingId, questionId, value, field => field.EndsWith(":votes", StringComparison.Ordinal) ? (long)state[0]
            : field.EndsWith(":flags", StringComparison.Ordinal) ? (long)state[1] : (long)state[2]);
    }

    private static Question Read(string meetingId, string id, RedisValue value, Func<string, long> state)
    {
        var document = JsonSerializer.Deserialize<QuestionDocument>(value.ToString())!;
        return new Question(meetingId, id, Number(id), document.AuthorId, document.DisplayName, document.Text, document.AskedAtUnixMs,
            (QuestionFlags)state($"{id}:flags"), (int)state($"{id}:votes"), state($"{id}:v"));
    }

    private static long Number(string id) => long.Parse(id.AsSpan(1), CultureInfo.InvariantCulture);

    private sealed record QuestionDocument(int V, string? AuthorId, string? DisplayName, string Text, long AskedAtUnixMs);
}
