using System.Security.Cryptography;
using Collab.Testing;

namespace Collab.Hub.Tests.ScaleOut;

/// <summary>Two hub nodes on one redis-server, sharing a resume-token key and a key/channel prefix of their own.</summary>
internal sealed class ScaleOutCluster : IAsyncDisposable
{
    private ScaleOutCluster(HubHost a, HubHost b)
    {
        A = a;
        B = b;
    }

    public HubHost A { get; }

    public HubHost B { get; }

    public static Task<ScaleOutCluster> StartAsync(RedisServer redis, params (string Key, string Value)[] extra) =>
        StartCoreAsync(redis.ConnectionString, redisOfB: null, extra);

    /// <summary>Starts the cluster with node B reaching Redis at <paramref name="redisOfB"/> (e.g. through a <see cref="TcpProxy"/> a test can cut).</summary>
    public static Task<ScaleOutCluster> StartAsync(RedisServer redis, string? redisOfB, params (string Key, string Value)[] extra) =>
        StartCoreAsync(redis.ConnectionString, redisOfB, extra);

    /// <summary>Two nodes on any Redis deployment: a connection string naming a server, a cluster's primaries or Sentinels.</summary>
    public static Task<ScaleOutCluster> StartAsync(string redisConnectionString, params (string Key, string Value)[] extra) =>
        StartCoreAsync(redisConnectionString, redisOfB: null, extra);

    private static async Task<ScaleOutCluster> StartCoreAsync(string redisConnectionString, string? redisOfB, (string Key, string Value)[] extra)
    {
        (string Key, string Value)[] settings =
        [
            ("ConnectionStrings:Redis", redisConnectionString),
            ("Collab:Redis:ChannelPrefix", $"t{Guid.NewGuid():N}"),
            ("Collab:Conferencing:ResumeTokenKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            .. HubHostExtensions.Unthrottled,
            .. extra,
        ];
        var a = await HubHost.StartAsync(settings);
        try
        {
            return new ScaleOutCluster(a, await HubHost.StartAsync(redisOfB is null ? settings : [.. settings, ("ConnectionStrings:Redis", redisOfB)]));
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
