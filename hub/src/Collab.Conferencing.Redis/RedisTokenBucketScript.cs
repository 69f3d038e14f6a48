namespace Collab.Conferencing.Redis;

/// <summary>
/// The token bucket in Lua, written once for every script that takes from one: the rate-limit store's own script, and
/// the chat append that takes the sender's token in the same step. A bucket is a hash (<c>tokens</c>, <c>at</c>) on the
/// server's clock, so nodes with skewed clocks agree; it expires once it would be full again.
/// </summary>
internal static class RedisTokenBucketScript
{
    /// <summary>
    /// Lua that takes one token from the bucket at <paramref name="key"/> with <paramref name="rate"/> tokens per second
    /// and <paramref name="burst"/> capacity (each a Lua expression, e.g. <c>KEYS[5]</c> or <c>@key</c>), leaving the
    /// locals <c>allowed</c> (0/1) and <c>wait</c> (milliseconds until a token is there).
    /// </summary>
    public static string Take(string key, string rate, string burst) => $"""
        local rate = tonumber({rate})
        local burst = tonumber({burst})
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', {key}, 'tokens', 'at')
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
        redis.call('HSET', {key}, 'tokens', tostring(tokens), 'at', at)
        redis.call('PEXPIRE', {key}, math.ceil((burst - tokens) * 1000 / rate) + 1000)

        """;
}
