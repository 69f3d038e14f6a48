using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

public sealed class RateLimitTests(RedisServer redis)
{
    private static readonly (string Key, string Value)[] s_tight =
    [
        ("Collab:Conferencing:ChatBurst", "4"), ("Collab:Conferencing:ChatMessagesPerSecond", "0.1"),
        ("Collab:Conferencing:VoteBurst", "2"), ("Collab:Conferencing:VotesPerSecond", "0.1"),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_participant_on_two_nodes_and_after_rejoining_has_one_budget_and_is_told_when_to_retry(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis, s_tight);
        var meeting = await deployment.A.CreateMeetingAsync("Town hall", TestContext.Current.CancellationToken);
        var (chair, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _c = chair;
        var (onA, join) = await deployment.A.JoinAsync(meeting, "Ana");
        await using var _a = onA;
        var onB = await deployment.B.ConnectAsync(HubProtocol.MessagePack);
        await using var _b = onB;
        await onB.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));

        await onA.SendChatAsync("a-1", "one");
        await onB.SendChatAsync("a-2", "two");
        await onA.SendChatAsync("a-3", "three");
        await onB.SendChatAsync("a-4", "four");
        var refusedOnA = await Assert.ThrowsAsync<HubException>(() => onA.SendChatAsync("a-5", "five"));
        var refusedOnB = await Assert.ThrowsAsync<HubException>(() => onB.SendChatAsync("a-5", "five"));

        // Leaving and coming back on a new connection does not refill the bucket.
        await onA.DisposeAsync();
        var again = await deployment.A.ConnectAsync();
        await using var _g = again;
        await again.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));
        var refusedAfterRejoin = await Assert.ThrowsAsync<HubException>(() => again.SendChatAsync("a-5", "five"));

        // Someone else's budget, and the vote budget, are their own.
        var (ben, _) = await deployment.B.JoinAsync(meeting, "Ben");
        await using var _n = ben;
        await ben.SendChatAsync("b-1", "mine");
        var poll = await chair.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Now?", ["Yes", "No"]));
        await chair.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        await again.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0]));
        await onB.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));
        var thirdVote = await Assert.ThrowsAsync<HubException>(() => again.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0])));

        foreach (var refused in new[] { refusedOnA, refusedOnB, refusedAfterRejoin })
        {
            Assert.Matches(@"^rate_limited: Too many chat messages: at most 0\.1 per second \(bursts of 4\); retry in \d+ ms\.$", refused.Reason());
        }

        Assert.StartsWith("rate_limited: Too many votes", thirdVote.Reason(), StringComparison.Ordinal);
        var history = await ben.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 50);
        Assert.Equal(["one", "two", "three", "four", "mine"], history.Messages.Select(m => m.Text));
    }
}
