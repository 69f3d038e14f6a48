using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;

namespace Collab.Hub.Tests.Rules;

/// <summary>
/// Two nodes to run a rule against: two hub hosts on one real redis-server, or (in memory) one single-node host
/// standing for both, so every rule is proven on the Redis stores and on the in-memory ones alike.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private Deployment(HubHost a, HubHost b, IAsyncDisposable owner)
    {
        A = a;
        B = b;
        _owner = owner;
    }

    public HubHost A { get; }

    public HubHost B { get; }

    public static async Task<Deployment> StartAsync(bool redis, RedisServer server, params (string Key, string Value)[] settings)
    {
        if (redis)
        {
            server.SkipIfUnavailable();
            var cluster = await ScaleOutCluster.StartAsync(server, settings);
            return new Deployment(cluster.A, cluster.B, cluster);
        }

        var host = await HubHost.StartAsync([.. HubHostExtensions.Unthrottled, .. settings]);
        return new Deployment(host, host, host);
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
