using Collab.Conferencing.Qa;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Qa;

public sealed class QaScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upvote_storm_over_two_nodes_and_reconnects_counts_each_participant_once()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, ("Collab:Conferencing:TallyPushIntervalMilliseconds", "1000"));
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (watcherOnB, _) = await cluster.B.JoinAsync(meeting, "Watcher", protocol: HubProtocol.MessagePack);
        await using var _w = watcherOnB;
        var question = await moderator.InvokeAsync<QuestionView>(nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k1", "Which road is repaired first?"));

        var voters = new List<(MeetingClient Client, JoinResult Join)>();
        var rejoined = new List<MeetingClient>();
        try
        {
            for (var batch = 0; batch < 4; batch++)
            {
                var joins = Enumerable.Range(batch * 20, 20).Select(i => (i % 2 == 0 ? cluster.A : cluster.B).JoinAsync(meeting, $"Voter {i:000}"));
                voters.AddRange(await Task.WhenAll(joins).WaitAsync(MeetingClient.DefaultTimeout, Cancel));
            }

            // 80 participants upvote at once, each twice (a double click), half of them on each node.
            var storm = voters.SelectMany(voter => Enumerable.Range(0, 2).Select(_ =>
                voter.Client.InvokeAsync<UpvoteView>(nameof(MeetingHub.UpvoteQuestion), question.QuestionId)));
            var answers = await Task.WhenAll(storm).WaitAsync(MeetingClient.DefaultTimeout, Cancel);

            // The first 20 reconnect on the other node (resume token) and upvote again; the next 10 withdraw.
            for (var i = 0; i < 20; i++)
            {
                var client = await (i % 2 == 0 ? cluster.B : cluster.A).ConnectAsync();
                rejoined.Add(client);
                await client.JoinAsync(new JoinRequest(meeting.MeetingId, $"Voter {i:000}", ResumeToken: voters[i].Join.ResumeToken));
            }

            var again = await Task.WhenAll(rejoined.Select(client => client.InvokeAsync<UpvoteView>(nameof(MeetingHub.UpvoteQuestion), question.QuestionId)))
                .WaitAsync(MeetingClient.DefaultTimeout, Cancel);
            await Task.WhenAll(voters.Skip(20).Take(10).Select(voter => voter.Client.InvokeAsync<UpvoteView>(nameof(MeetingHub.WithdrawUpvote), question.QuestionId)))
                .WaitAsync(MeetingClient.DefaultTimeout, Cancel);

            var snapshot = await watcherOnB.InvokeAsync<QaSnapshot>(nameof(MeetingHub.GetQuestions));
            var voterView = await rejoined[0].InvokeAsync<QaSnapshot>(nameof(MeetingHub.GetQuestions));
            foreach (var member in new[] { moderator, watcherOnB })
            {
                await member.WaitForAsync(c => c.LatestQuestion(question.QuestionId)?.Votes == 70, "the exact count pushed to both nodes");
            }

            Assert.All(answers, answer => Assert.True(answer.Upvoted));
            Assert.All(again, answer => Assert.True(answer.Upvoted));
            Assert.Equal(70, Assert.Single(snapshot.Questions).Votes);
            Assert.Equal([question.QuestionId], voterView.MyUpvotes);
            // 110 changes (80 upvotes, 20 resends that change nothing, 10 withdrawals) reach a member as a few coalesced pushes.
            var pushes = watcherOnB.QuestionsReceived.Count(q => q.QuestionId == question.QuestionId);
            Assert.InRange(pushes, 2, 60);
        }
        finally
        {
            foreach (var client in rejoined.Concat(voters.Select(voter => voter.Client)))
            {
                await client.DisposeAsync();
            }
        }
    }
}
