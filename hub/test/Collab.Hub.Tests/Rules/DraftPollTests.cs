using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

public sealed class DraftPollTests(RedisServer redis)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_draft_reaches_moderators_only_until_it_opens(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Water committee", TestContext.Current.CancellationToken);
        var (chair, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _c = chair;
        var (cochair, _) = await deployment.B.JoinAsync(meeting, "Co-chair", moderator: true);
        await using var _o = cochair;
        var (ana, _) = await deployment.B.JoinAsync(meeting, "Ana");
        await using var _a = ana;

        var draft = await chair.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Later?", ["Yes", "No"]));
        var other = await chair.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Now?", ["Yes", "No"]));
        await chair.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), other.PollId);

        await cochair.WaitForAsync(c => c.PollUpdatesReceived.Any(p => p.PollId == draft.PollId && p.State == PollState.Draft), "the draft on the other node's moderator");
        await ana.WaitForAsync(c => c.PollUpdatesReceived.Any(p => p.PollId == other.PollId && p.State == PollState.Open), "the opened poll");
        Assert.DoesNotContain(ana.PollUpdatesReceived, p => p.State == PollState.Draft);
        Assert.Equal([other.PollId], (await ana.InvokeAsync<PollView[]>(nameof(MeetingHub.GetPolls))).Select(p => p.PollId));
        Assert.Equal([draft.PollId, other.PollId], (await cochair.InvokeAsync<PollView[]>(nameof(MeetingHub.GetPolls))).Select(p => p.PollId));
        var (late, lateJoin) = await deployment.B.JoinAsync(meeting, "Ben");
        await using var _l = late;
        Assert.Equal([other.PollId], lateJoin.Polls.Select(p => p.PollId));
        var vote = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(draft.PollId, [0])));
        Assert.Equal($"not_found: No poll '{draft.PollId}' in this meeting.", vote.Reason());

        await chair.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), draft.PollId);
        await ana.WaitForAsync(c => c.PollUpdatesReceived.Any(p => p.PollId == draft.PollId && p.State == PollState.Open), "the draft once opened");
    }
}
