using Collab.Conferencing.Redis;
using Collab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

/// <summary>Presence on a real redis-server when Redis loses what it held, with a fake clock.</summary>
public sealed class RedisPresenceServiceTests(RedisServer redis) : IAsyncLifetime
{
    private readonly RedisKeys _keys = new($"test-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly ConnectionRegistry _registry = new();
    private readonly ServiceProvider _meterServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ConnectionMultiplexer? _multiplexer;
    private PresenceService? _presence;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        redis.SkipIfUnavailable();
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var options = Options.Create(new ConferencingOptions());
        var store = new RedisPresenceStore(_multiplexer, _keys, NullLogger<RedisPresenceStore>.Instance);
        var pushes = new Pushes.BestEffortPushes(new ConferencingMetrics(_meterServices.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<Pushes.BestEffortPushes>.Instance);
        _presence = new PresenceService(store, _registry, new Pushes.MeetingPushes(_notifier, pushes), new ParticipantCountCoalescer(store, _notifier, pushes, options, _time), options, _time, NullLogger<PresenceService>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _meterServices.DisposeAsync();
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Presence_lost_with_all_of_Redis_s_data_is_restored_by_the_next_heartbeat()
    {
        await ConnectAsync("Ana");
        await ConnectAsync("Ben");
        var firstNode = _presence!.NodeId;

        // Redis restarted without its data: the lease and every record are gone.
        await DeleteAllKeysAsync();
        Assert.Empty(await _presence.ListAsync("m", Ct));
        _time.Advance(TimeSpan.FromSeconds(5));
        await _presence.HeartbeatAsync(Ct);

        Assert.NotEqual(firstNode, _presence.NodeId);
        Assert.Equal(["Ana", "Ben"], (await _presence.ListAsync("m", Ct)).Select(p => p.DisplayName));
    }

    [Fact]
    public async Task A_record_Redis_lost_while_the_lease_survived_is_restored_within_two_heartbeats_with_one_arrival()
    {
        await ConnectAsync("Ana");
        await ConnectAsync("Ben");

        // Redis came back from an append-only file missing its last second: Ben's arrival is gone, the lease is not.
        var database = _multiplexer!.GetDatabase();
        await database.HashDeleteAsync(_keys.Presence("m"), "p-Ben");
        await database.SetRemoveAsync(_keys.PresenceNode(_presence!.NodeId!), "m|p-Ben");
        var joinedBefore = _notifier.Of<ParticipantView>("joined").Count;
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await _presence.HeartbeatAsync(Ct);
        }

        Assert.Equal(["Ana", "Ben"], (await _presence.ListAsync("m", Ct)).Select(p => p.DisplayName));
        Assert.Equal(["Ben"], _notifier.Of<ParticipantView>("joined").Skip(joinedBefore).Select(p => p.DisplayName));
        Assert.Empty(_notifier.Of<string>("left"));
    }

    private async Task ConnectAsync(string name)
    {
        var session = new Session($"c-{name}", "m", $"p-{name}", name, ParticipantRole.Participant);
        _registry.Add(session);
        await _presence!.ArriveAsync(session, Ct);
    }

    private async Task DeleteAllKeysAsync()
    {
        var server = _multiplexer!.GetServer(_multiplexer.GetEndPoints()[0]);
        await foreach (var key in server.KeysAsync(pattern: $"{_keys.Prefix}:*"))
        {
            await _multiplexer.GetDatabase().KeyDeleteAsync(key);
        }
    }
}
