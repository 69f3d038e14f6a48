
using Collab.Conferencing.Polls;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Poll_transitions_only_from_the_expected_state()
    {
        var stores = await CreateStoresAsync();
        await stores.Polls.CreateAsync(NewPoll("m", "q1"), Ct);

        var closeDraft = await stores.Polls.TransitionAsync("m", "q1", PollState.Open, PollState.Closed, 5, Ct);
        var open = await stores.Polls.TransitionAsync("m", "q1", PollState.Draft, PollState.Open, 10, Ct);
        var openAgain = await stores.Polls.TransitionAsync("m", "q1", PollState.Draft, PollState.Open, 11, Ct);
        var close = await stores.Polls.TransitionAsync("m", "q1", PollState.Open, PollState.Closed, 20, Ct);

        Assert.False(closeDraft?.Changed);
        Assert.Equal(PollState.Draft, closeDraft?.Poll.State);
        Assert.True(open?.Changed);
        Assert.Equal(10, open?.Poll.OpenedAtUnixMs);
        Assert.False(openAgain?.Changed);
        Assert.True(close?.Changed);
        Assert.Equal(PollState.Closed, (await stores.Polls.GetAsync("m", "q1", Ct))?.State);
        Assert.Equal(20, (await stores.Polls.GetAsync("m", "q1", Ct))?.ClosedAtUnixMs);
        Assert.Null(await stores.Polls.TransitionAsync("m", "missing", PollState.Draft, PollState.Open, 1, Ct));
        Assert.Null(await stores.Polls.GetAsync("other", "q1", Ct));
    }

    [Fact]
    public async Task Ballots_count_only_while_open_and_a_second_ballot_replaces_the_first()
    {
        var stores = await CreateStoresAsync();
        await stores.Polls.CreateAsync(NewPoll("m", "q1", multiple: true), Ct);

        var early = await stores.Polls.CastAsync("m", "q1", new Ballot("p1", [0]), Ct);
        await stores.Polls.TransitionAsync("m", "q1", PollState.Draft, PollState.Open, 1, Ct);
        await stores.Polls.CastAsync("m", "q1", new Ballot("p1", [0]), Ct);
        await stores.Polls.CastAsync("m", "q1", new Ballot("p1", [1, 2]), Ct);
        await stores.Polls.CastAsync("m", "q1", new Ballot("p2", [2]), Ct);
        var live = await stores.Polls.GetTallyAsync("m", "q1", 3, final: false, Ct);
        await stores.Polls.TransitionAsync("m", "q1", PollState.Open, PollState.Closed, 2, Ct);
        var late = await stores.Polls.CastAsync("m", "q1", new Ballot("p3", [0]), Ct);
        var final = await stores.Polls.GetTallyAsync("m", "q1", 3, final: true, Ct);

        Assert.Equal(CastOutcome.PollNotOpen, early);
        Assert.Equal(CastOutcome.PollNotOpen, late);
        Assert.Equal(CastOutcome.PollNotFound, await stores.Polls.CastAsync("m", "missing", new Ballot("p1", [0]), Ct));
        Assert.Equal([0, 1, 2], final.Counts);
        Assert.Equal(2, final.Voters);
        Assert.True(final.Final);
        Assert.Equal(live.Counts, final.Counts);
        Assert.Equal(3, live.Version);
        Assert.Equal([1, 2], await stores.Polls.GetBallotAsync("m", "q1", "p1", Ct));
        Assert.Null(await stores.Polls.GetBallotAsync("m", "q1", "p3", Ct));
        Assert.Equal(["p1", "p2"], (await stores.Polls.GetBallotsAsync("m", "q1", Ct)).Select(b => b.ParticipantId));
    }

    [Fact]
    public async Task Concurrent_ballots_give_an_exact_tally()
    {
        var stores = await CreateStoresAsync();
        await stores.Polls.CreateAsync(NewPoll("m", "q1"), Ct);
        await stores.Polls.TransitionAsync("m", "q1", PollState.Draft, PollState.Open, 1, Ct);

        // 200 participants vote at once, and each double-clicks: the same ballot arrives twice.
        var casts = Enumerable.Range(0, 400).Select(i => stores.Polls.CastAsync("m", "q1", new Ballot($"p{i % 200}", [i % 200 % 3]), Ct));
        var outcomes = await Task.WhenAll(casts).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await stores.Polls.TransitionAsync("m", "q1", PollState.Open, PollState.Closed, 2, Ct);
        var tally = await stores.Polls.GetTallyAsync("m", "q1", 3, final: true, Ct);

        Assert.All(outcomes, outcome => Assert.Equal(CastOutcome.Accepted, outcome));
        Assert.Equal(200, tally.Voters);
        Assert.Equal([67, 67, 66], tally.Counts);
        Assert.Equal(400, tally.Version);
    }

    [Fact]
    public async Task Polls_are_listed_per_meeting_in_creation_order()
    {
        var stores = await CreateStoresAsync();
        await stores.Polls.CreateAsync(NewPoll("m", "q2"), Ct);
        await stores.Polls.CreateAsync(NewPoll("m", "q1"), Ct);
        await stores.Polls.CreateAsync(NewPoll("other", "q3"), Ct);

        var polls = await stores.Polls.ListAsync("m", Ct);

        Assert.Equal(["q2", "q1"], polls.Select(p => p.Id));
        Assert.Equal(["Yes", "No", "Maybe"], polls[0].Options);
        Assert.Empty(await stores.Polls.ListAsync("none", Ct));
    }

    private static Poll NewPoll(string meetingId, string pollId, bool multiple = false) =>
        new(meetingId, pollId, "Lunch?", ["Yes", "No", "Maybe"], multiple, Anonymous: false, PollState.Draft, "mod", 1);
}
