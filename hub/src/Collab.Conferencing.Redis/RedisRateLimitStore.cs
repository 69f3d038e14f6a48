using Collab.Conferencing.Limits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Token buckets in Redis, one hash per participant and kind, taken from in one atomic script
/// (<see cref="RedisTokenBucketScript"/>). The key expires once the bucket would be full again: an idle participant
/// costs no memory, and one who rejoins, or is on several nodes, draws from the same bucket. The chat append takes
/// its token from the same bucket inside its own script (<see cref="RedisChatStore"/>).
/// </summary>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisRateLimitStore> logger) : IRateLimitStore
{
    // ARGV: tokens per second, burst. Returns {allowed (0/1), milliseconds until a token is there}.
    private static readonly LuaScript s_take = LuaScript.Prepare(RedisTokenBucketScript.Take("@key", "@rate", "@burst") + "return {allowed, wait}");

    public async ValueTask<RateLimitDecision> TryTakeAsync(string meetingId, string participantId, RateLimitKind kind, double tokensPerSecond, int burst, CancellationToken cancellationToken = default) =>
        await RedisCall.RunAsync(logger, "rate.take", async () =>
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_take, new
            {
                key = (RedisKey)keys.RateLimit(meetingId, participantId, kind),
                rate = tokensPerSecond,
                burst,
            }))!;
            return new RateLimitDecision((int)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
        });
}
