using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.ScaleOut;

public sealed class ScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_from_node_A_reaches_clients_on_node_B_exactly_once_and_in_order()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (sender, _) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _s = sender;
        var (listenerOnB, _) = await cluster.B.JoinAsync(meeting, "Ben");
        await using var _l = listenerOnB;
        var (otherOnB, _) = await cluster.B.JoinAsync(meeting, "Cy", protocol: HubProtocol.MessagePack);
        await using var _o = otherOnB;

        var sent = new List<ChatMessage>();
        for (var i = 0; i < 30; i++)
        {
            sent.Add(await sender.SendChatAsync($"a-{i}", $"from node A #{i}"));
        }

        foreach (var listener in new[] { listenerOnB, otherOnB })
        {
            await listener.WaitForAsync(c => c.ChatReceived.Count >= 30, "30 messages on node B");
            Assert.Equal(sent, listener.ChatReceived);
        }

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), sent.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Concurrent_chat_on_both_nodes_gets_one_gapless_sequence_and_every_member_gets_each_message_once()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (onA, _) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _a = onA;
        var (onB, _) = await cluster.B.JoinAsync(meeting, "Ben");
        await using var _b = onB;

        var sends = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? onA : onB).SendChatAsync($"c-{i}", $"message {i}"));
        var acknowledged = await Task.WhenAll(sends).WaitAsync(MeetingClient.DefaultTimeout, Cancel);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), acknowledged.Select(m => m.Sequence).Order());
        foreach (var member in new[] { onA, onB })
        {
            await member.WaitForAsync(c => c.ChatReceived.Count >= 40, "40 messages");
            // Pushes from two nodes may interleave; the sequence orders them, and nothing is missing or doubled.
            Assert.Equal(acknowledged.OrderBy(m => m.Sequence), member.ChatReceived.OrderBy(m => m.Sequence));
        }
    }

    [Fact]
    public async Task Two_hundred_ballots_split_over_both_nodes_give_an_exact_tally()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (watcherOnB, _) = await cluster.B.JoinAsync(meeting, "Watcher");
        await using var _w = watcherOnB;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Which priority?", ["Water", "Roads", "Schools", "Clinics"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);

        var voters = new List<MeetingClient>();
        try
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var joins = Enumerable.Range(batch * 20, 20).Select(i => (i % 2 == 0 ? cluster.A : cluster.B).JoinAsync(meeting, $"Voter {i:000}"));
                voters.AddRange((await Task.WhenAll(joins).WaitAsync(MeetingClient.DefaultTimeout, Cancel)).Select(joined => joined.Client));
            }

            // Each voter's ballot arrives twice at once (a double click), so 400 calls carry 200 ballots.
            var votes = voters.SelectMany((voter, i) => Enumerable.Range(0, 2).Select(_ =>
                voter.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [i % 4]))));
            await Task.WhenAll(votes).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
            var closed = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId);
            await watcherOnB.WaitForAsync(c => c.TalliesReceived.Any(t => t.Final), "the final tally on node B");

            Assert.Equal([50, 50, 50, 50], closed.Tally.Counts);
            Assert.Equal(200, closed.Tally.Voters);
            Assert.Equal(closed.Tally.Counts, watcherOnB.TalliesReceived.Single(t => t.Final).Counts);
            Assert.All(watcherOnB.TalliesReceived.Where(t => !t.Final), t => Assert.True(t.Voters <= 200));
        }
        finally
        {
            await Task.WhenAll(voters.Select(voter => voter.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Rejoining_on_the_other_node_with_the_token_catches_up_without_loss_or_duplicates_and_keeps_the_ballot()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (moderator, _) = await cluster.B.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Adjourn?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        var (ana, anaJoin) = await cluster.A.JoinAsync(meeting, "Ana");
        await ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));
        var before = await moderator.SendChatAsync("m-0", "before the drop");
        await ana.WaitForAsync(c => c.ChatReceived.Any(m => m.Sequence == before.Sequence), "the message before the drop");
        var lastSeen = ana.ChatReceived[^1].Sequence;
        await ana.DisposeAsync();

        var missed = new List<ChatMessage>();
        for (var i = 1; i <= 7; i++)
        {
            missed.Add(await moderator.SendChatAsync($"m-{i}", $"while Ana was away {i}"));
        }

        await using var anaOnB = await cluster.B.ConnectAsync();
        var rejoin = await anaOnB.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: anaJoin.ResumeToken));
        var caughtUp = await anaOnB.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), lastSeen, 5);
        var rest = await anaOnB.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), caughtUp.Messages[^1].Sequence, 5);
        await anaOnB.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));
        var closed = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId);

        Assert.True(rejoin.Resumed);
        Assert.Equal(anaJoin.ParticipantId, rejoin.ParticipantId);
        Assert.Equal(ParticipantRole.Participant, rejoin.Role);
        Assert.Equal([1], Assert.Single(rejoin.MyBallots).OptionIndexes);
        Assert.Equal(missed, caughtUp.Messages.Concat(rest.Messages));
        Assert.True(caughtUp.HasMore);
        Assert.False(rest.HasMore);
        Assert.Equal([0, 1], closed.Tally.Counts);
        Assert.Equal(1, closed.Tally.Voters);
    }

    [Fact]
    public async Task Wrong_join_codes_on_one_node_count_towards_the_limit_on_the_other()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, ("Collab:Conferencing:WrongJoinCodeLimit", "2"));
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        await using var guesserOnA = await cluster.A.ConnectAsync();
        await using var guesserOnB = await cluster.B.ConnectAsync();

        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => guesserOnA.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "AAAAAAAA")));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => guesserOnB.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "BBBBBBBB")));
        var throttled = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => guesserOnA.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: meeting.JoinCode)));
        var moderator = await guesserOnB.JoinAsync(new JoinRequest(meeting.MeetingId, "Chair", ModeratorKey: meeting.ModeratorKey));

        Assert.StartsWith("rate_limited: Too many wrong join codes for this meeting", throttled.Reason(), StringComparison.Ordinal);
        Assert.Equal(ParticipantRole.Moderator, moderator.Role);
    }
}
