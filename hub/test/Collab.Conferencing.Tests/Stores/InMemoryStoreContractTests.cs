using Microsoft.Extensions.Options;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Limits.IRateLimitStore CreateRateLimitStore() => new Limits.InMemoryRateLimitStore(Time);

    protected override Collab.Conferencing.Meetings.IMeetingLifecycleStore CreateLifecycleStore() => new InMemoryMeetingLifecycleStore();

    protected override Lobby.ILobbyStore CreateLobbyStore() => new Lobby.InMemoryLobbyStore();
    protected override Qa.IQuestionStore CreateQuestionStore() => new Qa.InMemoryQuestionStore();

    protected override Rooms.IRoomStore CreateRoomStore() => new Rooms.InMemoryRoomStore();

    protected override ValueTask<StoreSet> CreateStoresAsync(ConferencingOptions options)
    {
        var meetings = new InMemoryMeetingStore();
        var floor = new Audio.InMemoryFloorStore();
        var rateLimits = new Limits.InMemoryRateLimitStore(Time);
        return ValueTask.FromResult(new StoreSet(
            meetings,
            new InMemoryChatStore(Options.Create(options), Time, meetings, rateLimits),
            new InMemoryPollStore(),
            new InMemoryPresenceStore(),
            new InMemoryJoinAttemptStore(Time),
            floor) { Speakers = new Speakers.InMemorySpeakerStore(meetings, floor), RateLimits = rateLimits });
    }
}
