using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>Ready only while Redis answers PING within the configured timeout.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis, IOptions<CollabRedisOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = string.Join(", ", redis.GetEndPoints().Select(endpoint => endpoint.ToString()));
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy($"Redis at {endpoints} is unreachable; chat, polls and scale-out are unavailable on this node.");
        }

        try
        {
            var timeout = TimeSpan.FromMilliseconds(options.Value.HealthCheckTimeoutMilliseconds);
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis at {endpoints} answered PING in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis at {endpoints} did not answer PING: {exception.Message}", exception);
        }
    }
}
