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

    [Fact]
    public async Task Ending_a_meeting_sets_the_retention_expiry_on_every_key_of_the_meeting()
    {
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}");
        var options = Options.Create(new ConferencingOptions { EndedMeetingRetentionHours = 48 });
        var meetings = new RedisMeetingStore(_multiplexer!, keys, options, NullLogger<RedisMeetingStore>.Instance);
        var chat = new RedisChatStore(_multiplexer!, keys, options, NullLogger<RedisChatStore>.Instance);
        var polls = new RedisPollStore(_multiplexer!, keys, NullLogger<RedisPollStore>.Instance);
        await meetings.CreateAsync(new Model.Meeting("m", "Town hall", "CODE", "HASH", 1), Ct);
        await meetings.SaveParticipantAsync(new Model.Participant("m", "p1", "Ana", Model.ParticipantRole.Participant, 1), Ct);
        await chat.AppendAsync("m", new Model.ChatDraft("c1", "p1", "Ana", "hello", 1), Ct);
        await polls.CreateAsync(new Model.Poll("m", "q1", "Q?", ["A", "B"], false, true, Model.PollState.Draft, "p1", 1), Ct);
        await polls.TransitionAsync("m", "q1", Model.PollState.Draft, Model.PollState.Open, 2, Ct);
        await polls.CastAsync("m", "q1", new Model.Ballot("p1", [0]), Ct);

        await meetings.EndAsync("m", 3, Ct);

        var database = _multiplexer!.GetDatabase();
        RedisKey[] meetingKeys =
        [
            keys.Meeting("m"), keys.Participants("m"), keys.ChatSequence("m"), keys.ChatLog("m"), keys.PollIndex("m"),
            keys.Poll("m", "q1"), keys.PollBallots("m", "q1"), keys.PollCounts("m", "q1"),
        ];
        foreach (var key in meetingKeys)
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.FromHours(47) && left <= TimeSpan.FromHours(48), $"{key} expires in {ttl}");
        }

        Assert.True((await meetings.GetAsync("m", Ct))?.HasEnded);
    }

    protected override Limits.IRateLimitStore CreateRateLimitStore()
    {
        redis.SkipIfUnavailable();
        return new RedisRateLimitStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisRateLimitStore>.Instance);
    }

    protected override Collab.Conferencing.Stores.IMeetingLifecycleStore CreateLifecycleStore()
    {
        redis.SkipIfUnavailable();
        return new RedisMeetingLifecycleStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisMeetingLifecycleStore>.Instance);
    }

    protected override ValueTask<StoreSet> CreateStoresAsync(ConferencingOptions options)
    {
        redis.SkipIfUnavailable();
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}");
        var multiplexer = _multiplexer!;
        return ValueTask.FromResult(new StoreSet(
            new RedisMeetingStore(multiplexer, keys, Options.Create(options), NullLogger<RedisMeetingStore>.Instance),
            new RedisChatStore(multiplexer, keys, Options.Create(options), NullLogger<RedisChatStore>.Instance),
            new RedisPollStore(multiplexer, keys, NullLogger<RedisPollStore>.Instance),
            new RedisPresenceStore(multiplexer, keys, NullLogger<RedisPresenceStore>.Instance),
            new RedisJoinAttemptStore(multiplexer, keys, NullLogger<RedisJoinAttemptStore>.Instance),
            new RedisFloorStore(multiplexer, keys, NullLogger<RedisFloorStore>.Instance)));
    }
}
