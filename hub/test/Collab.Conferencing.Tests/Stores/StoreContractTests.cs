using Microsoft.Extensions.Time.Testing;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>
/// The behaviour every store implementation owes the services, written once. Subclasses supply fresh, isolated stores
/// (in memory; Redis under a unique key prefix).
/// </summary>
public abstract partial class StoreContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Fresh stores that share nothing with other tests.</summary>
    protected abstract ValueTask<StoreSet> CreateStoresAsync(ConferencingOptions options);

    protected ValueTask<StoreSet> CreateStoresAsync() => CreateStoresAsync(new ConferencingOptions());

    protected sealed record StoreSet(IMeetingStore Meetings, IChatStore Chat, IPollStore Polls, IPresenceStore Presence, IJoinAttemptStore JoinAttempts, Audio.IFloorStore Floor)
    {
        /// <summary>The list of speakers over this set's participants and floor.</summary>
        public Speakers.ISpeakerStore Speakers { get; init; } = null!;

        /// <summary>The rate-limit buckets the chat store takes a send's charge from.</summary>
        public Limits.IRateLimitStore RateLimits { get; init; } = null!;
    }

    [Fact]
    public async Task Meeting_is_stored_once_per_id_and_ending_it_is_idempotent()
    {
        var stores = await CreateStoresAsync();
        var meeting = new Meeting("m1", "Town hall", "ABCDEFGH", "HASH", 1_000);
        var pollsOnly = new Meeting("m2", "Vote", "JKLMNPQR", "HASH2", 2_000, ChatEnabled: false);

        Assert.True(await stores.Meetings.CreateAsync(meeting, Ct));
        Assert.False(await stores.Meetings.CreateAsync(meeting with { Title = "Other" }, Ct));
        Assert.True(await stores.Meetings.CreateAsync(pollsOnly, Ct));
        Assert.Equal(meeting, await stores.Meetings.GetAsync("m1", Ct));
        Assert.Equal(pollsOnly, await stores.Meetings.GetAsync("m2", Ct));
        Assert.Null(await stores.Meetings.GetAsync("unknown", Ct));

        var ended = await stores.Meetings.EndAsync("m1", 2_000, Ct);
        var endedAgain = await stores.Meetings.EndAsync("m1", 3_000, Ct);

        Assert.Equal(2_000, ended?.EndedAtUnixMs);
        Assert.Equal(2_000, endedAgain?.EndedAtUnixMs);
        Assert.True((await stores.Meetings.GetAsync("m1", Ct))?.HasEnded);
        Assert.Null(await stores.Meetings.EndAsync("unknown", 1, Ct));
    }

    [Fact]
    public async Task Wrong_join_codes_are_counted_per_meeting_within_one_window()
    {
        var stores = await CreateStoresAsync();

        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            counts.Add(await stores.JoinAttempts.RecordFailureAsync("m", TimeSpan.FromMinutes(1), Ct));
        }

        var (failures, remaining) = await stores.JoinAttempts.GetAsync("m", Ct);
        var other = await stores.JoinAttempts.GetAsync("other", Ct);

        Assert.Equal([1, 2, 3], counts);
        Assert.Equal(3, failures);
        Assert.InRange(remaining, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Equal((0, TimeSpan.Zero), other);
    }

    [Fact]
    public async Task Participant_identity_is_kept_per_meeting()
    {
        var stores = await CreateStoresAsync();
        var participant = new Participant("m1", "p1", "Ana", ParticipantRole.Moderator, 1_000);

        await stores.Meetings.SaveParticipantAsync(participant, Ct);

        Assert.Equal(participant, await stores.Meetings.GetParticipantAsync("m1", "p1", Ct));
        Assert.Null(await stores.Meetings.GetParticipantAsync("m2", "p1", Ct));
    }
}
