using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.ScaleOut;

/// <summary>
/// Two hub nodes on a real Redis Cluster of three primaries: the stores (every meeting's keys in one slot) and the
/// SignalR backplane (pub/sub, which a cluster forwards to every node) work as on one server.
/// </summary>
public sealed class RedisClusterScaleOutTests(RedisCluster redis) : IClassFixture<RedisCluster>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Meetings_on_a_redis_cluster_chat_vote_and_see_each_other_across_nodes()
    {
        redis.SkipIfUnavailable();
        await using var nodes = await ScaleOutCluster.StartAsync(redis.ConnectionString);
        var meetings = new List<CreatedMeeting>();
        for (var i = 0; i < 3; i++)
        {
            meetings.Add(await nodes.A.CreateMeetingAsync($"Assembly {i}", Cancel));
        }

        foreach (var meeting in meetings)
        {
            var (moderator, _) = await nodes.A.JoinAsync(meeting, "Lea", moderator: true);
            await using var _m = moderator;
            var (onB, _) = await nodes.B.JoinAsync(meeting, "Ben");
            await using var _b = onB;
            await moderator.WaitForAsync(client => client.JoinedReceived.Any(participant => participant.DisplayName == "Ben"), "Ben's join seen on node A");

            var sent = await onB.SendChatAsync("b-1", "from node B");
            var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Agreed?", ["Yes", "No"]));
            await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
            await onB.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));

            await moderator.WaitForAsync(client => client.ChatReceived.Contains(sent), "node B's message on node A");
            await moderator.WaitForAsync(client => client.TalliesReceived.Any(tally => tally.PollId == poll.PollId && tally.Counts[1] == 1), "node B's ballot in node A's tally");
            var history = await moderator.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 10);
            Assert.Equal([sent], history.Messages);
        }
    }
}
