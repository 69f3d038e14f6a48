
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

public sealed class PollServiceTests
{
    [Fact]
    public async Task A_draft_is_the_moderators_until_it_opens()
    {
        // Who may create, open and close is the hub's rule (ModeratorOnly), asserted in MeetingHubPollTests.
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Lunch?", ["Yes", "No"]));

        Assert.Empty(await harness.Polls.GetPollsAsync(ana));
        Assert.Equal(PollState.Draft, Assert.Single(await harness.Polls.GetPollsAsync(moderator)).State);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    public async Task Polls_need_two_to_ten_options(int count)
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.CreateAsync(moderator, new CreatePollRequest("Q?", [.. Enumerable.Range(1, count).Select(i => $"Option {i}")])));

        Assert.Equal($"A poll needs 2 to 10 options; {count} were given.", error.Message);
    }

    [Fact]
    public async Task One_ballot_per_participant_and_a_changed_vote_replaces_the_old_one()
    {
        using var harness = new Harness(("VoteBurst", "100"));
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        var (ben, _) = await harness.JoinAsync(meeting, "Ben");
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Which days?", ["Mon", "Tue", "Wed"], MultipleChoice: true));
        await harness.Polls.OpenAsync(moderator, poll.PollId);

        await harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [0]));
        await harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [0]));
        await harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [2, 1]));
        await harness.Polls.VoteAsync(ben, new VoteRequest(poll.PollId, [1]));
        var closed = await harness.Polls.CloseAsync(moderator, poll.PollId);

        Assert.Equal([0, 2, 1], closed.Tally.Counts);
        Assert.Equal(2, closed.Tally.Voters);
        Assert.True(closed.Tally.Final);
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, "single choice")]
    [InlineData(new[] { 2 }, "between 0 and 1")]
    [InlineData(new int[0], "at least one")]
    public async Task Invalid_ballots_are_refused_with_the_reason(int[] options, string reason)
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await harness.Polls.OpenAsync(moderator, poll.PollId);

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, options)));

        Assert.Equal(ConferencingError.InvalidInput, error.Error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Votes_are_refused_before_open_and_after_close_and_closed_polls_cannot_reopen()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Lunch?", ["Yes", "No"]));

        var early = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [0])));
        await harness.Polls.OpenAsync(moderator, poll.PollId);
        await harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [0]));
        await harness.Polls.CloseAsync(moderator, poll.PollId);
        var late = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [1])));
        var reopen = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.OpenAsync(moderator, poll.PollId));
        var unknown = await Assert.ThrowsAsync<ConferencingException>(() => harness.Polls.VoteAsync(ana, new VoteRequest("nosuchpoll", [0])));

        Assert.Equal("No poll '" + poll.PollId + "' in this meeting.", early.Message); // a draft is hidden from participants
        Assert.Contains("it is closed", late.Message, StringComparison.Ordinal);
        Assert.Equal(ConferencingError.Conflict, reopen.Error);
        Assert.Equal(ConferencingError.NotFound, unknown.Error);
        Assert.Equal([1, 0], (await harness.Polls.GetPollsAsync(ana))[0].Tally.Counts);
    }

    [Fact]
    public async Task A_vote_burst_is_coalesced_into_few_tally_pushes_and_close_pushes_the_exact_final_tally_at_once()
    {
        using var harness = new Harness(("TallyPushIntervalMilliseconds", "250"), ("VoteBurst", "10"));
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await harness.Polls.OpenAsync(moderator, poll.PollId);
        var voters = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            voters.Add((await harness.JoinAsync(meeting, $"Voter {i:00}")).ConnectionId);
        }

        for (var i = 0; i < 30; i++)
        {
            await harness.Polls.VoteAsync(voters[i], new VoteRequest(poll.PollId, [i % 2]));
        }

        var duringBurst = harness.Notifier.Of<PollTally>("tally");
        harness.Time.Advance(TimeSpan.FromMilliseconds(250));
        var afterInterval = harness.Notifier.Of<PollTally>("tally");
        for (var i = 30; i < 40; i++)
        {
            await harness.Polls.VoteAsync(voters[i], new VoteRequest(poll.PollId, [0]));
        }

        await harness.Polls.CloseAsync(moderator, poll.PollId);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var tallies = harness.Notifier.Of<PollTally>("tally");

        Assert.Single(duringBurst);
        Assert.Equal(2, afterInterval.Count);
        Assert.Equal(30, afterInterval[^1].Voters);
        var final = tallies[^1];
        Assert.True(final.Final);
        Assert.Equal([25, 15], final.Counts);
        Assert.Single(tallies, t => t.Final);
        Assert.True(tallies.Count <= 3, $"expected at most 3 tally pushes, got {tallies.Count}");
    }
}
