using Collab.Conferencing.Redis;
using Collab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The store contract against a real redis-server; each test gets its own key prefix.</summary>
public sealed class RedisStoreContractTests(RedisServer redis) : RedisBackedStoreContractTests
{
    protected override string ConnectionString => redis.ConnectionString;

    protected override void SkipIfUnavailable() => redis.SkipIfUnavailable();
}

/// <summary>
/// The store contract against a real Redis Cluster of three primaries: every script and transaction must touch one
/// slot (Cluster refuses a cross-slot one with CROSSSLOT; StackExchange.Redis refuses it before sending).
/// </summary>
public sealed class RedisClusterStoreContractTests(RedisCluster cluster) : RedisBackedStoreContractTests, IClassFixture<RedisCluster>
{
    protected override string ConnectionString => cluster.ConnectionString;

    protected override void SkipIfUnavailable() => cluster.SkipIfUnavailable();

    [Fact]
    public async Task A_meetings_keys_share_one_slot_presence_keys_share_another_and_meetings_spread_over_the_primaries()
    {
        var keys = new RedisKeys("collab");
        var multiplexer = Multiplexer;

        var slots = new[] { keys.Meeting("m"), keys.ChatLog("m"), keys.ChatIdempotency("m", "p", "c"), keys.PollCounts("m", "q"), keys.FloorMuted("m"), keys.Lobby("m"), keys.LobbyWaiting("m"), keys.Excluded("m"), keys.Participants("m"), keys.FloorSpeakers("m") }
            .Concat(keys.SpeakersKeys("m"))
            .Select(key => multiplexer.HashSlot(key)).Distinct();
        var presenceSlots = new[] { keys.Presence("m"), keys.Presence("other"), keys.PresenceLeases(), keys.PresenceClaims(), keys.PresenceNode("node-1") }
            .Select(key => multiplexer.HashSlot(key)).Distinct();
        var shards = multiplexer.GetServers()[0].ClusterConfiguration!;
        var primaries = Enumerable.Range(0, 60).Select(i => shards.GetBySlot(multiplexer.HashSlot(keys.Meeting($"meeting{i}")))!.EndPoint!.ToString()).Distinct();

        Assert.Single(slots);
        Assert.Single(presenceSlots);
        // A discussion room's keys (its chat, floor) and the room store's hashes are in its meeting's slot.
        var room = Collab.Conferencing.Rooms.RoomScopes.Of("m", "r7");
        Assert.Equal(multiplexer.HashSlot(keys.Meeting("m")), multiplexer.HashSlot(keys.ChatLog(room)));
        Assert.Single(new[] { keys.Meeting("m"), keys.Rooms("m"), keys.RoomsWhere("m"), keys.ChatIdempotency(room, "p", "c"), keys.FloorSpeakers(room) }.Select(key => multiplexer.HashSlot(key)).Distinct());
        Assert.Equal("collab:meeting:{m}:room:r7:chat", keys.ChatLog(room));
        Assert.Equal(3, primaries.Count());
    }
}

/// <summary>The contract on Redis (a single server or a cluster), with the Redis-only checks.</summary>
public abstract class RedisBackedStoreContractTests : StoreContractTests, IAsyncLifetime
{
    private ConnectionMultiplexer? _multiplexer;

    protected abstract string ConnectionString { get; }

    protected ConnectionMultiplexer Multiplexer => _multiplexer!;

    protected abstract void SkipIfUnavailable();

    public async ValueTask InitializeAsync()
    {
        SkipIfUnavailable();
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
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
        await meetings.CreateAsync(new Meetings.Meeting("m", "Town hall", "CODE", "HASH", 1), Ct);
        await meetings.SaveParticipantAsync(new Meetings.Participant("m", "p1", "Ana", Meetings.ParticipantRole.Participant, 1), Ct);
        await chat.AppendAsync("m", new Chat.ChatDraft("c1", "p1", "Ana", "hello", 1), Ct);
        await polls.CreateAsync(new Polls.Poll("m", "q1", "Q?", ["A", "B"], false, true, Polls.PollState.Draft, "p1", 1), Ct);
        await polls.TransitionAsync("m", "q1", Polls.PollState.Draft, Polls.PollState.Open, 2, Ct);
        await polls.CastAsync("m", "q1", new Polls.Ballot("p1", [0]), Ct);
        await new RedisFloorStore(_multiplexer!, keys, NullLogger<RedisFloorStore>.Instance).SetModeAsync("m", Audio.FloorMode.Moderated, 3, Ct);
        var lobby = new RedisLobbyStore(_multiplexer!, keys, NullLogger<RedisLobbyStore>.Instance);
        await lobby.AddWaiterAsync("m", new Lobby.Waiter("w1", "Ben", 1, "c1"), 10, Ct);
        await lobby.ExcludeAsync("m", "p2", Lobby.Exclusion.Removed, Ct);
        var questions = new RedisQuestionStore(_multiplexer!, keys, NullLogger<RedisQuestionStore>.Instance);
        await questions.AskAsync("m", new Qa.QuestionDraft("c1", "p1", "p1", "Ana", "Why?", 1), 10, Ct);
        await questions.SetUpvoteAsync("m", "q1", "p1", upvote: true, Ct);
        await questions.ChangeAsync("m", "q1", Qa.QuestionChange.Highlight, Ct);
        var speakers = new RedisSpeakerStore(_multiplexer!, keys, NullLogger<RedisSpeakerStore>.Instance);
        await speakers.EnqueueAsync("m", "p1", 1, 10, Ct);
        await new RedisFloorStore(_multiplexer!, keys, NullLogger<RedisFloorStore>.Instance).GrantAsync("m", "p1", 3, Ct);
        await speakers.SyncTurnsAsync("m", 2, Ct);

        await meetings.EndAsync("m", 3, Ct);

        var database = _multiplexer!.GetDatabase();
        RedisKey[] meetingKeys =
        [
            keys.Meeting("m"), keys.Participants("m"), keys.ChatSequence("m"), keys.ChatLog("m"), keys.PollIndex("m"),
            keys.Poll("m", "q1"), keys.PollBallots("m", "q1"), keys.PollCounts("m", "q1"), keys.Floor("m"),
            keys.Lobby("m"), keys.LobbyWaiting("m"), keys.Excluded("m"),
            .. keys.QaKeys("m").Select(key => (RedisKey)key),
            .. keys.SpeakersKeys("m").Select(key => (RedisKey)key),
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
        SkipIfUnavailable();
        return new RedisRateLimitStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisRateLimitStore>.Instance);
    }

    protected override Collab.Conferencing.Meetings.IMeetingLifecycleStore CreateLifecycleStore()
    {
        SkipIfUnavailable();
        return new RedisMeetingLifecycleStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisMeetingLifecycleStore>.Instance);
    }

    protected override Lobby.ILobbyStore CreateLobbyStore()
    {
        SkipIfUnavailable();
        return new RedisLobbyStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisLobbyStore>.Instance);
    }

    protected override Qa.IQuestionStore CreateQuestionStore()
    {
        SkipIfUnavailable();
        return new RedisQuestionStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisQuestionStore>.Instance);
    }

    protected override Rooms.IRoomStore CreateRoomStore()
    {
        SkipIfUnavailable();
        return new RedisRoomStore(_multiplexer!, new RedisKeys($"test-{Guid.NewGuid():N}"), NullLogger<RedisRoomStore>.Instance);
    }

    [Fact]
    public async Task Ending_a_meeting_expires_its_rooms_and_their_chats_and_floors_with_the_meeting()
    {
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}");
        var rooms = new RedisRoomStore(_multiplexer!, keys, NullLogger<RedisRoomStore>.Instance);
        var chat = new RedisChatStore(_multiplexer!, keys, Options.Create(new ConferencingOptions()), NullLogger<RedisChatStore>.Instance);
        await rooms.CreateAsync("m", [new Rooms.RoomDraft("North", false, "mod", 1, 60_000, [new Rooms.RoomMemberView("p1", "Ana")])], 5, Ct);
        var scope = Rooms.RoomScopes.Of("m", "r1");
        await chat.AppendAsync(scope, new Chat.ChatDraft("c1", "p1", "Ana", "hello", 1), Ct);
        await new RedisFloorStore(_multiplexer!, keys, NullLogger<RedisFloorStore>.Instance).SetModeAsync(scope, Audio.FloorMode.Moderated, 3, Ct);

        await rooms.ExpireAsync("m", TimeSpan.FromHours(48), Ct);

        var database = _multiplexer!.GetDatabase();
        foreach (var key in new RedisKey[] { keys.Rooms("m"), keys.RoomsWhere("m"), keys.ChatSequence(scope), keys.ChatLog(scope), keys.Floor(scope) })
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.FromHours(47) && left <= TimeSpan.FromHours(48), $"{key} expires in {ttl}");
        }

        Assert.DoesNotContain(await rooms.TakeDueAsync(long.MaxValue / 2, 100, Ct), due => due.MeetingId == "m");
    }

    protected override ValueTask<StoreSet> CreateStoresAsync(ConferencingOptions options)
    {
        SkipIfUnavailable();
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}");
        var multiplexer = _multiplexer!;
        return ValueTask.FromResult(new StoreSet(
            new RedisMeetingStore(multiplexer, keys, Options.Create(options), NullLogger<RedisMeetingStore>.Instance),
            new RedisChatStore(multiplexer, keys, Options.Create(options), NullLogger<RedisChatStore>.Instance),
            new RedisPollStore(multiplexer, keys, NullLogger<RedisPollStore>.Instance),
            new RedisPresenceStore(multiplexer, keys, NullLogger<RedisPresenceStore>.Instance),
            new RedisJoinAttemptStore(multiplexer, keys, NullLogger<RedisJoinAttemptStore>.Instance),
            new RedisFloorStore(multiplexer, keys, NullLogger<RedisFloorStore>.Instance)) { Speakers = new RedisSpeakerStore(multiplexer, keys, NullLogger<RedisSpeakerStore>.Instance), RateLimits = new RedisRateLimitStore(multiplexer, keys, NullLogger<RedisRateLimitStore>.Instance) });
    }
}
