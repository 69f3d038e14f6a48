using System.Globalization;
using Collab.Conferencing.Speakers;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// The list of speakers in Redis: the queue as a sorted set scored by a per-meeting counter (so the order is the order
/// the scripts ran, exact across nodes), hashes for when each asked, each person's speaking time, turns and running
/// turn, and one settings hash. Every change is one Lua script that answers with the whole list, names included (read
/// from the meeting's participant records, in the same hash slot, so a rename shows at once). Speaking turns are
/// synced against the floor's own set of speakers inside the script, so syncs from several nodes in any order agree.
/// </summary>
public sealed class RedisSpeakerStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisSpeakerStore> logger) : ISpeakerStore
{
    // KEYS: 1 settings, 2 queue, 3 asked, 4 time, 5 turns, 6 speaking, 7 floor speakers, 8 participants.
    // The answer: {outcome, version, current, limit, {id, asked, name, ...}, {id, total, turns, since, name, ...}, taken, asked, previous}.
    private const string View = """
        local function name(pid)
          local doc = redis.call('HGET', KEYS[8], pid)
          if not doc then return '' end
          local ok, decoded = pcall(cjson.decode, doc)
          if ok and type(decoded) == 'table' and type(decoded.displayName) == 'string' then return decoded.displayName end
          return ''
        end
        local function view(outcome, taken, asked, previous)
          local queue = {}
          for _, pid in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
            queue[#queue + 1] = pid
            queue[#queue + 1] = redis.call('HGET', KEYS[3], pid) or '0'
            queue[#queue + 1] = name(pid)
          end
          local times = {}
          local seen = {}
          local function add(pid)
            if seen[pid] then return end
            seen[pid] = true
            times[#times + 1] = pid
            times[#times + 1] = redis.call('HGET', KEYS[4], pid) or '0'
            times[#times + 1] = redis.call('HGET', KEYS[5], pid) or '0'
            times[#times + 1] = redis.call('HGET', KEYS[6], pid) or ''
            times[#times + 1] = name(pid)
          end
          for _, pid in ipairs(redis.call('HKEYS', KEYS[4])) do add(pid) end
          for _, pid in ipairs(redis.call('HKEYS', KEYS[6])) do add(pid) end
          return {outcome, redis.call('HGET', KEYS[1], 'version') or '0', redis.call('HGET', KEYS[1], 'current') or '',
            redis.call('HGET', KEYS[1], 'limit') or '0', queue, times, taken or '', asked or '', previous or ''}
        end
        """;

    private const string GetScript = View + "\nreturn view('Unchanged')";

    // ARGV: participant, now, max.
    private const string EnqueueScript = View + "\n" + """
        if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return view('Unchanged') end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return view('Full') end
        local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
        redis.call('ZADD', KEYS[2], seq, ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed')
        """;

    // ARGV: participant.
    private const string DequeueScript = View + "\n" + """
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return view('Unchanged') end
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed')
        """;

    // ARGV: participant chosen, or '' for the head.
    private const string TakeScript = View + "\n" + """
        local pid = ARGV[1]
        if pid == '' then
          local head = redis.call('ZRANGE', KEYS[2], 0, 0)
          if #head == 0 then return view('Empty') end
          pid = head[1]
        end
        local asked = ''
        if redis.call('ZREM', KEYS[2], pid) == 1 then asked = redis.call('HGET', KEYS[3], pid) or '0' end
        redis.call('HDEL', KEYS[3], pid)
        local previous = redis.call('HGET', KEYS[1], 'current') or ''
        redis.call('HSET', KEYS[1], 'current', pid)
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed', pid, asked, previous)
        """;

    // ARGV: participant, asked ('' when not on the list), previous current speaker ('' for none).
    private const string RestoreScript = View + "\n" + """
        if ARGV[2] ~= '' then
          local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          local score = 0
          if #head > 0 then score = tonumber(head[2]) - 1 end
          redis.call('ZADD', KEYS[2], score, ARGV[1])
          redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        end
        if redis.call('HGET', KEYS[1], 'current') == ARGV[1] then
          if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'current') else redis.call('HSET', KEYS[1], 'current', ARGV[3]) end
        end
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed')
        """;

    // ARGV: now.
    private const string SyncScript = View + "\n" + """
        local now = tonumber(ARGV[1])
        local holders = {}
        local members = redis.call('SMEMBERS', KEYS[7])
        for _, pid in ipairs(members) do holders[pid] = true end
        local changed = false
        for _, pid in ipairs(redis.call('HKEYS', KEYS[6])) do
          if not holders[pid] then
            local since = tonumber(redis.call('HGET', KEYS[6], pid)) or now
            redis.call('HINCRBY', KEYS[4], pid, math.max(0, now - since))
            redis.call('HDEL', KEYS[6], pid)
            changed = true
          end
        end
        for _, pid in ipairs(members) do
          if redis.call('HEXISTS', KEYS[6], pid) == 0 then
            redis.call('HSET', KEYS[6], pid, ARGV[1])
            redis.call('HINCRBY', KEYS[5], pid, 1)
            redis.call('HSETNX', KEYS[4], pid, 0)
            changed = true
          end
        end
        if not changed then return view('Unchanged') end
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed')
        """;

    private const string TouchScript = View + "\nredis.call('HINCRBY', KEYS[1], 'version', 1)\nreturn view('Changed')";

    // ARGV: seconds.
    private const string LimitScript = View + "\n" + """
        if (redis.call('HGET', KEYS[1], 'limit') or '0') == ARGV[1] then return view('Unchanged') end
        redis.call('HSET', KEYS[1], 'limit', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return view('Changed')
        """;

    public async Task<SpeakersState> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        (await RunAsync("speakers get", GetScript, meetingId)).State;

    public async Task<(SpeakersChange Change, SpeakersState State)> EnqueueAsync(string meetingId, string participantId, long nowUnixMs, int maxQueue, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("speakers ask", EnqueueScript, meetingId, participantId, nowUnixMs, maxQueue);
        return (result.Change, result.State);
    }

    public async Task<(SpeakersChange Change, SpeakersState State)> DequeueAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("speakers withdraw", DequeueScript, meetingId, participantId);
        return (result.Change, result.State);
    }

    public async Task<(SpeakerTaken? Taken, SpeakersState State)> TakeAsync(string meetingId, string? participantId, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("speakers take", TakeScript, meetingId, participantId ?? string.Empty);
        return (result.Taken, result.State);
    }

    public async Task<SpeakersState> RestoreAsync(string meetingId, SpeakerTaken taken, CancellationToken cancellationToken = default) =>
        (await RunAsync("speakers restore", RestoreScript, meetingId, taken.ParticipantId, taken.AskedAtUnixMs?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, taken.PreviousSpeakerId ?? string.Empty)).State;

    public async Task<(SpeakersChange Change, SpeakersState State)> SyncTurnsAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("speakers sync", SyncScript, meetingId, nowUnixMs);
        return (result.Change, result.State);
    }

    public async Task<SpeakersState> TouchAsync(string meetingId, CancellationToken cancellationToken = default) =>
        (await RunAsync("speakers touch", TouchScript, meetingId)).State;

    public async Task<SpeakersState> SetTimeLimitAsync(string meetingId, int seconds, CancellationToken cancellationToken = default) =>
        (await RunAsync("speakers limit", LimitScript, meetingId, seconds)).State;

    private Task<(SpeakersChange Change, SpeakersState State, SpeakerTaken? Taken)> RunAsync(string operation, string script, string meetingId, params RedisValue[] arguments) =>
        RedisCall.RunAsync(logger, operation, async () =>
        {
            RedisKey[] redisKeys =
            [
                keys.Speakers(meetingId), keys.SpeakersQueue(meetingId), keys.SpeakersAsked(meetingId), keys.SpeakersTime(meetingId),
                keys.SpeakersTurns(meetingId), keys.SpeakersSpeaking(meetingId), keys.FloorSpeakers(meetingId), keys.Participants(meetingId),
            ];
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(script, redisKeys, arguments))!;
            var change = Enum.Parse<SpeakersChange>((string)result[0]!);
            var queue = (RedisResult[])result[4]!;
            var times = (RedisResult[])result[5]!;
            var current = (string)result[2]!;
            var state = new SpeakersState(
                [.. Enumerable.Range(0, queue.Length / 3).Select(i => new QueuedSpeakerView((string)queue[i * 3]!, (string)queue[(i * 3) + 2]!, Long(queue[(i * 3) + 1])))],
                [.. Enumerable.Range(0, times.Length / 5)
                    .Select(i => new SpeakingTimeView((string)times[i * 5]!, (string)times[(i * 5) + 4]!, Long(times[(i * 5) + 1]), (int)Long(times[(i * 5) + 2]),
                        (string?)times[(i * 5) + 3] is { Length: > 0 } since ? long.Parse(since, CultureInfo.InvariantCulture) : null))
                    .OrderBy(entry => entry.ParticipantId, StringComparer.Ordinal)],
                current.Length > 0 ? current : null,
                (int)Long(result[3]),
                Long(result[1]));
            var takenId = (string)result[6]!;
            var asked = (string)result[7]!;
            var previous = (string)result[8]!;
            var taken = takenId.Length > 0
                ? new SpeakerTaken(takenId, asked.Length > 0 ? long.Parse(asked, CultureInfo.InvariantCulture) : null, previous.Length > 0 ? previous : null)
                : null;
            return (change, state, taken);
        });

    private static long Long(RedisResult value) => long.Parse((string)value!, CultureInfo.InvariantCulture);
}
