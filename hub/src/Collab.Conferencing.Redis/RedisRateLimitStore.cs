using Collab.Conferencing.Limits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Token buckets in Redis, one hash per participant and kind, taken from in one atomic script on the server's clock
/// (so nodes with skewed clocks agree). The key expires once the bucket would be full again: an idle participant
/// costs no memory, and one who rejoins, or is on several nodes, draws from the same bucket.
/// </summary>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisRateLimitStore> logger) : IRateLimitStore
{
    // ARGV: tokens per second, burst. Returns {allowed (0/1), milliseconds until a token is there}.
    private static readonly LuaScript s_take = LuaScript.Prepare("""
        local rate = tonumber(@rate)
        local burst = tonumber(@burst)
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', @key, 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = burst
          at = now
        end
        if now > at then
          tokens = math.min(burst, tokens + (now - at) * rate / 1000)
          at = now
        end
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HSET', @key, 'tokens', tostring(tokens), 'at', at)
        redis.call('PEXPIRE', @key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
        return {allowed, wait}
        """);

    public async ValueTask<RateLimitDecision> TryTakeAsync(string meetingId, string participantId, RateLimitKind kind, double tokensPerSecond, int burst, CancellationToken cancellationToken = default) =>
        await RedisCall.RunAsync(logger, "rate.take", async () =>
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_take, new
            {
                key = (RedisKey)keys.RateLimit(meetingId, participantId, kind.ToString().ToLowerInvariant()),
                rate = tokensPerSecond,
                burst,
            }))!;
            return new RateLimitDecision((int)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
        });
}
