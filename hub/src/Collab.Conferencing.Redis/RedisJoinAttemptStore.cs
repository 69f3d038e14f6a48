using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Redis;

/// <summary>Wrong join codes per meeting as a counter whose expiry is the window (INCR, and PEXPIRE on the first).</summary>
public sealed class RedisJoinAttemptStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisJoinAttemptStore> logger) : IJoinAttemptStore
{
    private const string RecordScript = """
        local failures = redis.call('INCR', KEYS[1])
        if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return failures
        """;

    private const string GetScript = """
        local failures = redis.call('GET', KEYS[1])
        if not failures then return {0, 0} end
        return {tonumber(failures), redis.call('PTTL', KEYS[1])}
        """;

    public Task<(int Failures, TimeSpan Remaining)> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "join.attempts", async () =>
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(GetScript, [keys.JoinFailures(meetingId)]))!;
            return ((int)result[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
        });

    public Task<int> RecordFailureAsync(string meetingId, TimeSpan window, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "join.failure", async () =>
            (int)await redis.GetDatabase().ScriptEvaluateAsync(RecordScript, [keys.JoinFailures(meetingId)], [(long)window.TotalMilliseconds]));
}
