using System.ComponentModel.DataAnnotations;

namespace Collab.Conferencing.Redis;

/// <summary>
/// How the hub talks to Redis when scale-out is on. The connection string itself is the standard
/// <c>ConnectionStrings:Redis</c> (environment: <c>ConnectionStrings__Redis</c>); without it the hub keeps
/// its state in memory and runs as a single node. (Named apart from SignalR's backplane <c>RedisOptions</c>, which
/// <see cref="RedisServiceCollectionExtensions.AddCollabRedis"/> configures over the same multiplexer.)
/// </summary>
public sealed class CollabRedisOptions
{
    public const string SectionName = "Collab:Redis";
    public const string ConnectionStringName = "Redis";

    /// <summary>Prefix of every key and channel, so several deployments can share one Redis.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string ChannelPrefix { get; set; } = "collab";

    /// <summary>How long one connect attempt may take before the multiplexer retries in the background.</summary>
    [Range(100, 60_000)]
    public int ConnectTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>How long <c>/readyz</c> waits for a PING answer before it reports Redis unreachable.</summary>
    [Range(50, 30_000)]
    public int HealthCheckTimeoutMilliseconds { get; set; } = 1_000;
}
