using Collab.Conferencing.Audio;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Floor state in Redis: a hash (mode, maximum) and three sets (speakers, requests, muted) per meeting. Every change is
/// one Lua script that decides and answers with the whole view, so nodes never race for the last open-mic place.
/// </summary>
public sealed class RedisFloorStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisFloorStore> logger) : IFloorStore
{
    private const string View = """
        local mode = redis.call('HGET', KEYS[1], 'mode') or 'OpenMic'
        local max = redis.call('HGET', KEYS[1], 'max') or ARGV[2]
        return {outcome, mode, max, redis.call('SMEMBERS', KEYS[2]), redis.call('SMEMBERS', KEYS[3]), redis.call('SMEMBERS', KEYS[4])}
        """;

    private const string Settings = """
        local mode = redis.call('HGET', KEYS[1], 'mode') or 'OpenMic'
        local max = tonumber(redis.call('HGET', KEYS[1], 'max') or ARGV[2])
        """;

    private const string GetScript = "local outcome = 'Granted'\n" + View;

    private const string RequestScript = Settings + "\n" + """
        local outcome
        if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then outcome = 'Muted'
        elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then outcome = 'Granted'
        elseif mode == 'Moderated' then redis.call('SADD', KEYS[3], ARGV[1]); outcome = 'Requested'
        elseif redis.call('SCARD', KEYS[2]) >= max then outcome = 'Full'
        else redis.call('SADD', KEYS[2], ARGV[1]); outcome = 'Granted' end
        """ + "\n" + View;

    private const string GrantScript = Settings + "\n" + """
        local outcome
        if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then outcome = 'Muted'
        elseif redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 and redis.call('SCARD', KEYS[2]) >= max then outcome = 'Full'
        else redis.call('SADD', KEYS[2], ARGV[1]); redis.call('SREM', KEYS[3], ARGV[1]); outcome = 'Granted' end
        """ + "\n" + View;

    private const string ReleaseScript = """
        redis.call('SREM', KEYS[2], ARGV[1])
        redis.call('SREM', KEYS[3], ARGV[1])
        local outcome = 'Granted'
        """ + "\n" + View;

    private const string MuteScript = """
        if ARGV[3] == '1' then
          redis.call('SADD', KEYS[4], ARGV[1])
          redis.call('SREM', KEYS[2], ARGV[1])
        else
          redis.call('SREM', KEYS[4], ARGV[1])
        end
        local outcome = 'Granted'
        """ + "\n" + View;

    private const string ModeScript = """
        redis.call('HSET', KEYS[1], 'mode', ARGV[3], 'max', ARGV[2])
        local outcome = 'Granted'
        """ + "\n" + View;

    public async Task<FloorView> GetAsync(string meetingId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        (await RunAsync("floor get", GetScript, meetingId, string.Empty, defaultMaxSpeakers)).Floor;

    public Task<(FloorRequestOutcome Outcome, FloorView Floor)> RequestAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        RunAsync("floor request", RequestScript, meetingId, participantId, defaultMaxSpeakers);

    public Task<(FloorRequestOutcome Outcome, FloorView Floor)> GrantAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        RunAsync("floor grant", GrantScript, meetingId, participantId, defaultMaxSpeakers);

    public async Task<FloorView> ReleaseAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        (await RunAsync("floor release", ReleaseScript, meetingId, participantId, defaultMaxSpeakers)).Floor;

    public async Task<FloorView> SetMutedAsync(string meetingId, string participantId, bool muted, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        (await RunAsync("floor mute", MuteScript, meetingId, participantId, defaultMaxSpeakers, muted ? "1" : "0")).Floor;

    public async Task<FloorView> SetModeAsync(string meetingId, FloorMode mode, int maxSpeakers, CancellationToken cancellationToken = default) =>
        (await RunAsync("floor mode", ModeScript, meetingId, string.Empty, maxSpeakers, mode.ToString())).Floor;

    private Task<(FloorRequestOutcome Outcome, FloorView Floor)> RunAsync(string operation, string script, string meetingId, string participantId, int maxSpeakers, string extra = "") =>
        RedisCall.RunAsync(logger, operation, async () =>
        {
            RedisKey[] redisKeys = [keys.Floor(meetingId), keys.FloorSpeakers(meetingId), keys.FloorRequests(meetingId), keys.FloorMuted(meetingId)];
            RedisValue[] arguments = [participantId, maxSpeakers, extra];
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(script, redisKeys, arguments))!;
            var outcome = Enum.Parse<FloorRequestOutcome>((string)result[0]!);
            var mode = Enum.TryParse<FloorMode>((string)result[1]!, out var parsed) ? parsed : FloorMode.OpenMic;
            var floor = new FloorView(mode, (int)result[2], Members(result[3]), Members(result[4]), Members(result[5]));
            return (outcome, floor);
        });

    private static string[] Members(RedisResult set) => [.. ((string[])set!).Order(StringComparer.Ordinal)];
}
