using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Live meetings in one sorted set scored by when someone was last in them, ended ones in another scored by when they
/// ended. The bound on live meetings is checked and taken in one script, so two nodes cannot both take the last place.
/// </summary>
public sealed class RedisMeetingLifecycleStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisMeetingLifecycleStore> logger) : IMeetingLifecycleStore
{
    private const string AddLiveScript = """
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        return 1
        """;

    private const string EndScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
        return 1
        """;

    private const string TakeScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        if #ids > 0 then redis.call('ZREM', KEYS[1], unpack(ids)) end
        return ids
        """;

    public Task<bool> TryAddLiveAsync(string meetingId, long nowUnixMs, int maxLive, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meetings.live.add", async () =>
            (int)await Database.ScriptEvaluateAsync(AddLiveScript, [keys.LiveMeetings()], [meetingId, nowUnixMs, maxLive]) == 1);

    public Task<int> CountLiveAsync(CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meetings.live.count", async () => (int)await Database.SortedSetLengthAsync(keys.LiveMeetings()));

    public Task MarkOccupiedAsync(IReadOnlyCollection<string> meetingIds, long nowUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meetings.live.occupied", () =>
            Database.SortedSetAddAsync(keys.LiveMeetings(), [.. meetingIds.Select(id => new SortedSetEntry(id, nowUnixMs))], SortedSetWhen.Exists));

    public Task<IReadOnlyList<string>> ListIdleAsync(long cutoffUnixMs, int max, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<string>>(logger, "meetings.live.idle", async () =>
            [.. (await Database.SortedSetRangeByScoreAsync(keys.LiveMeetings(), double.NegativeInfinity, cutoffUnixMs, take: max)).Select(id => id.ToString())]);

    public Task MarkEndedAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meetings.ended.add", () =>
            Database.ScriptEvaluateAsync(EndScript, [keys.LiveMeetings(), keys.EndedMeetings()], [meetingId, endedAtUnixMs]));

    public Task<IReadOnlyList<string>> TakeExpiredAsync(long endedBeforeUnixMs, int max, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<string>>(logger, "meetings.ended.take", async () =>
            [.. ((RedisResult[])(await Database.ScriptEvaluateAsync(TakeScript, [keys.EndedMeetings()], [endedBeforeUnixMs, max]))!).Select(id => id.ToString())]);

    private IDatabase Database => redis.GetDatabase();
}
