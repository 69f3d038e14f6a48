using Collab.Conferencing.Client;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Hubs;

/// <summary>
/// The join alone completes the meeting screen (PROTOCOL.md, Join): the first history page, the floor and the polls
/// with the caller's ballots; and a chat message is not pushed to its sender's own connection (the result carries it)
/// while the sender's other connections still get it.
/// </summary>
public sealed class JoinSnapshotTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Join_carries_the_history_page_the_floor_and_the_polls_with_my_ballots_in_memory()
    {
        await using var host = await HubHost.StartAsync(HubHostExtensions.Unthrottled);
        await AssertJoinCompletesTheScreenAsync(host, host);
    }

    [Fact]
    public async Task Join_on_the_other_node_carries_the_history_page_the_floor_and_the_polls_with_my_ballots()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, HubHostExtensions.Unthrottled);
        await AssertJoinCompletesTheScreenAsync(cluster.A, cluster.B);
    }

    [Fact]
    public async Task The_sender_is_not_pushed_its_own_message_but_its_second_connection_and_the_others_are()
    {
        await using var host = await HubHost.StartAsync(HubHostExtensions.Unthrottled);
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ana, anaJoin) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        await using var anaTab = await host.ConnectAsync();
        await anaTab.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: anaJoin.ResumeToken));
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;

        var sent = await ana.SendChatAsync("c1", "hello");
        await ben.WaitForAsync(c => c.ChatPushed.Count >= 1, "Ben's push");
        await anaTab.WaitForAsync(c => c.ChatPushed.Count >= 1, "the push to Ana's second tab");
        // A later call's result comes after anything this node pushed to the same connection before it.
        await ana.SendChatAsync("c2", "again");

        Assert.DoesNotContain(ana.ChatPushed, m => m.Sequence == sent.Sequence);
        Assert.Equal([sent], anaTab.ChatPushed.Where(m => m.Sequence == sent.Sequence));
        Assert.Equal([sent], ben.ChatPushed.Where(m => m.Sequence == sent.Sequence));
        Assert.Equal([1L, 2L], ana.ChatReceived.Select(m => m.Sequence)); // shown once, from the results
    }

    [Fact]
    public async Task The_sender_on_one_node_is_not_pushed_its_message_its_second_connection_on_the_other_node_is()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, HubHostExtensions.Unthrottled);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (ana, anaJoin) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        await using var anaTab = await cluster.B.ConnectAsync();
        await anaTab.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: anaJoin.ResumeToken));
        await using var anaSameNode = await cluster.A.ConnectAsync();
        await anaSameNode.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: anaJoin.ResumeToken));

        var sent = await ana.SendChatAsync("c1", "hello");
        await anaTab.WaitForAsync(c => c.ChatPushed.Count >= 1, "the push to Ana's tab on node B");
        await anaSameNode.WaitForAsync(c => c.ChatPushed.Count >= 1, "the push to Ana's other tab on node A");
        await ana.SendChatAsync("c2", "again");
        await anaSameNode.WaitForAsync(c => c.ChatPushed.Count >= 2, "the second push on node A");

        Assert.Equal([sent], anaTab.ChatPushed.Take(1));
        Assert.Empty(ana.ChatPushed);
        Assert.Equal([1L, 2L], ana.ChatReceived.Select(m => m.Sequence));
    }

    private static async Task AssertJoinCompletesTheScreenAsync(HubHost first, HubHost second)
    {
        var meeting = await first.CreateMeetingAsync("Water committee", Cancel);
        var (lea, _) = await first.JoinAsync(meeting, "Lea", moderator: true);
        await using var _l = lea;
        var (ana, anaJoin) = await first.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        for (var i = 1; i <= 3; i++)
        {
            await lea.SendChatAsync($"m{i}", $"item {i}");
        }

        var poll = await lea.Connection.CreatePollAsync(new CreatePollRequest("Meet again?", ["Yes", "No"]), Cancel);
        await lea.Connection.OpenPollAsync(poll.PollId, Cancel);
        await ana.Connection.VoteAsync(new VoteRequest(poll.PollId, [1]), Cancel);
        await ana.Connection.RequestFloorAsync(Cancel);

        // Ana again, on the second node (a second tab): everything the screen shows is in the join's result.
        await using var tab = await second.ConnectAsync();
        var join = await tab.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: anaJoin.ResumeToken));
        var history = await tab.Connection.GetChatHistoryAsync(null, 100, Cancel);
        var floor = await tab.Connection.GetFloorAsync(Cancel);

        Assert.NotNull(join.ChatHistory);
        Assert.Equal(["item 1", "item 2", "item 3"], join.ChatHistory.Messages.Select(m => m.Text));
        Assert.Equal(history.Messages, join.ChatHistory.Messages);
        Assert.Equal(3, join.ChatHistory.LastSequence);
        Assert.Equal(join.LastChatSequence, join.ChatHistory.LastSequence);
        Assert.NotNull(join.Floor);
        Assert.Equal(floor.Mode, join.Floor.Mode);
        Assert.Equal(floor.Speakers.Concat(floor.Requests), join.Floor.Speakers.Concat(join.Floor.Requests));
        Assert.Contains(anaJoin.ParticipantId, join.Floor.Speakers.Concat(join.Floor.Requests));
        var shown = Assert.Single(join.Polls);
        Assert.Equal(poll.PollId, shown.PollId);
        Assert.Equal(PollState.Open, shown.State);
        var ballot = Assert.Single(join.MyBallots);
        Assert.Equal((poll.PollId, 1), (ballot.PollId, Assert.Single(ballot.OptionIndexes)));
    }
}
