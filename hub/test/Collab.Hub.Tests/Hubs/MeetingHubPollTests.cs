using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Hubs;

public sealed class MeetingHubPollTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Non_moderators_cannot_create_open_or_close_polls_and_stay_connected()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Lunch?", ["Yes", "No"]));

        var create = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Mine?", ["A", "B"])));
        var open = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId));
        var close = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId));
        var end = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting)));
        var polls = await ana.InvokeAsync<IReadOnlyList<PollView>>(nameof(MeetingHub.GetPolls));

        Assert.Equal("forbidden: Only a moderator may create a poll.", create.Reason());
        Assert.Equal("forbidden: Only a moderator may open a poll.", open.Reason());
        Assert.Equal("forbidden: Only a moderator may close a poll.", close.Reason());
        Assert.Equal("forbidden: Only a moderator may end the meeting.", end.Reason());
        Assert.Empty(polls); // a draft is the moderators' until it opens
        Assert.Equal(PollState.Draft, Assert.Single(await moderator.InvokeAsync<IReadOnlyList<PollView>>(nameof(MeetingHub.GetPolls))).State);
    }

    [Fact]
    public async Task Ballots_are_counted_exactly_once_per_participant_and_the_final_tally_is_pushed_on_close()
    {
        await using var host = await HubHost.StartAsync(HubHostExtensions.Unthrottled);
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var voters = new List<MeetingClient>();
        for (var i = 0; i < 12; i++)
        {
            voters.Add((await host.JoinAsync(meeting, $"Voter {i:00}")).Client);
        }

        try
        {
            var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Budget?", ["For", "Against", "Abstain"]));
            await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);

            // Every voter double-clicks (the same ballot twice, concurrently); the first four change their mind afterwards.
            await Task.WhenAll(voters.SelectMany((voter, i) => Enumerable.Range(0, 2).Select(_ =>
                voter.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [i % 3]))))).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
            for (var i = 0; i < 4; i++)
            {
                await voters[i].InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [2]));
            }

            var closed = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId);
            await voters[^1].WaitForAsync(c => c.TalliesReceived.Any(t => t.Final), "the final tally");
            var late = await Assert.ThrowsAsync<HubException>(() => voters[0].InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0])));

            // Voters 0..11 chose i % 3 (4 each); voters 0..3 (options 0,1,2,0) then moved to option 2.
            Assert.Equal([2, 3, 7], closed.Tally.Counts);
            Assert.Equal(12, closed.Tally.Voters);
            Assert.True(closed.Tally.Final);
            var pushed = voters[^1].TalliesReceived.Single(t => t.Final);
            Assert.Equal(closed.Tally.Counts, pushed.Counts);
            Assert.Equal(PollState.Closed, voters[^1].PollUpdatesReceived[^1].State);
            Assert.StartsWith($"conflict: Poll '{poll.PollId}' is not open for voting (it is closed)", late.Reason(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var voter in voters)
            {
                await voter.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Bad_poll_inputs_are_refused_with_a_clear_reason()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);

        var oneOption = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Q?", ["Only"])));
        var elevenOptions = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Q?", [.. Enumerable.Range(0, 11).Select(i => $"o{i}")])));
        var unknownPoll = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest("nosuchpoll", [0])));
        var outOfRange = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [5])));
        var twoOnSingle = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0, 1])));
        var ballot = await moderator.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));

        Assert.Equal("invalid_input: A poll needs 2 to 10 options; 1 were given.", oneOption.Reason());
        Assert.Equal("invalid_input: A poll needs 2 to 10 options; 11 were given.", elevenOptions.Reason());
        Assert.Equal("not_found: No poll 'nosuchpoll' in this meeting.", unknownPoll.Reason());
        Assert.Equal("invalid_input: Option indexes must be between 0 and 1.", outOfRange.Reason());
        Assert.StartsWith("invalid_input: Poll '", twoOnSingle.Reason(), StringComparison.Ordinal);
        Assert.Equal([1], ballot.OptionIndexes);
    }

    [Fact]
    public async Task Ending_the_meeting_tells_every_member_and_refuses_further_sends()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;

        var ended = await moderator.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting));
        await ana.WaitForAsync(c => c.MeetingEndedReceived == 1, "the meeting-ended push");
        var send = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("late", "anyone?"));

        Assert.True(ended.Ended);
        Assert.Equal("conflict: This meeting has ended.", send.Reason());
    }

    [Fact]
    public async Task Members_see_others_join_leave_and_raise_hands()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;

        var (ana, anaJoin) = await host.JoinAsync(meeting, "Ana");
        await moderator.WaitForAsync(c => c.JoinedReceived.Any(p => p.ParticipantId == anaJoin.ParticipantId), "Ana joining");
        await ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.RaiseHand));
        var listed = await moderator.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));
        await ana.DisposeAsync();
        await moderator.WaitForAsync(c => c.LeftReceived.Contains(anaJoin.ParticipantId), "Ana leaving");
        var after = await moderator.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

        Assert.True(listed.Single(p => p.DisplayName == "Ana").HandRaised);
        Assert.Equal(ParticipantRole.Moderator, listed.Single(p => p.DisplayName == "Chair").Role);
        Assert.Equal(["Chair"], after.Select(p => p.DisplayName));
    }

    [Fact]
    public async Task Wrong_join_codes_are_refused_and_throttled_per_meeting()
    {
        await using var host = await HubHost.StartAsync(("Collab:Conferencing:WrongJoinCodeLimit", "2"));
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        await using var guesser = await host.ConnectAsync();

        var first = await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "AAAAAAAA")));
        await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "BBBBBBBB")));
        var throttled = await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: meeting.JoinCode)));
        var unknown = await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest("nosuchmeeting", "Eve", JoinCode: "AAAAAAAA")));

        Assert.Equal("forbidden: The join code is wrong.", first.Reason());
        Assert.StartsWith("rate_limited: Too many wrong join codes for this meeting", throttled.Reason(), StringComparison.Ordinal);
        Assert.Equal("not_found: No meeting has the id 'nosuchmeeting'.", unknown.Reason());
    }
}
