using Collab.Conferencing.Redis;
using Collab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The store contract against a real redis-server; each test gets its own key prefix.</summary>
public sealed class RedisStoreContractTests(RedisServer redis) : StoreContractTests, IAsyncLifetime
{
    private ConnectionMultiplexer? _multiplexer;

    public async ValueTask InitializeAsync()
    {
        redis.SkipIfUnavailable();
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }

    protected override ValueTask<StoreSet> CreateStoresAsync(ConferencingOptions options)
    {
        redis.SkipIfUnavailable();
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}");
        var multiplexer = _multiplexer!;
        return ValueTask.FromResult(new StoreSet(
            new RedisMeetingStore(multiplexer, keys, NullLogger<RedisMeetingStore>.Instance),
            new RedisChatStore(multiplexer, keys, Options.Create(options), NullLogger<RedisChatStore>.Instance),
            new RedisPollStore(multiplexer, keys, NullLogger<RedisPollStore>.Instance),
            new RedisPresenceStore(multiplexer, keys, NullLogger<RedisPresenceStore>.Instance)));
    }
}
