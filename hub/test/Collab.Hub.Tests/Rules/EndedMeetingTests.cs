using System.Net;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Qa;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

public sealed class EndedMeetingTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_ended_meeting_refuses_every_mutating_call_on_every_node_and_still_answers_reads_and_the_export(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Water committee", Cancel);
        var (moderator, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (speaker, speakerJoin) = await deployment.B.JoinAsync(meeting, "Ana", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        var (listener, _) = await deployment.A.JoinAsync(meeting, "Ben", protocol: HubProtocol.MessagePack);
        await using var _l = listener;
        var open = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Adjourn?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), open.PollId);
        var draft = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Later?", ["Yes", "No"]));
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var batch = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0];
        await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        await listener.WaitForAsync(c => c.AudioReceived.Count == 1, "the batch sent before the end");
        await speaker.SendChatAsync("a-1", "before the end");
        var question = await speaker.InvokeAsync<QuestionView>(nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k-1", "Before the end?"));

        await moderator.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting));

        var mutating = new (string Method, MeetingClient Caller, object?[] Arguments)[]
        {
            (nameof(MeetingHub.PublishAudio), speaker, [batch]),
            (nameof(MeetingHub.RaiseHand), speaker, []),
            (nameof(MeetingHub.LowerHand), speaker, []),
            (nameof(MeetingHub.RequestFloor), speaker, []),
            (nameof(MeetingHub.ReleaseFloor), speaker, []),
            (nameof(MeetingHub.SendChat), speaker, [new SendChatRequest("a-2", "after the end")]),
            (nameof(MeetingHub.Vote), speaker, [new VoteRequest(open.PollId, [0])]),
            (nameof(MeetingHub.CreatePoll), moderator, [new CreatePollRequest("Again?", ["Yes", "No"])]),
            (nameof(MeetingHub.OpenPoll), moderator, [draft.PollId]),
            (nameof(MeetingHub.ClosePoll), moderator, [open.PollId]),
            (nameof(MeetingHub.SetFloorMode), moderator, [new SetFloorModeRequest(FloorMode.Moderated, 2)]),
            (nameof(MeetingHub.GrantFloor), moderator, [speakerJoin.ParticipantId]),
            (nameof(MeetingHub.RevokeFloor), moderator, [speakerJoin.ParticipantId]),
            (nameof(MeetingHub.SetMuted), moderator, [speakerJoin.ParticipantId, true]),
            (nameof(MeetingHub.AskQuestion), speaker, [new AskQuestionRequest("k-2", "After the end?")]),
            (nameof(MeetingHub.UpvoteQuestion), listener, [question.QuestionId]),
            (nameof(MeetingHub.WithdrawUpvote), listener, [question.QuestionId]),
            (nameof(MeetingHub.SetQuestionAnswered), moderator, [question.QuestionId, true]),
            (nameof(MeetingHub.SetQuestionHidden), moderator, [question.QuestionId, true]),
            (nameof(MeetingHub.SetQuestionHighlighted), moderator, [question.QuestionId, true]),
            (nameof(MeetingHub.SetQaSettings), moderator, [new QaSettings(AllowAnonymous: true)]),
            (nameof(MeetingHub.DeleteChatMessage), moderator, [1L]),
            (nameof(MeetingHub.LowerAllHands), moderator, []),
            (nameof(MeetingHub.MuteAll), moderator, []),
        };
        foreach (var (method, caller, arguments) in mutating)
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync(method, arguments));
            Assert.True(refused.Reason().StartsWith("conflict: This meeting has ended", StringComparison.Ordinal), $"{method}: {refused.Reason()}");
        }

        // Reads still answer, and show that nothing changed.
        var chat = await speaker.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 50);
        Assert.Equal(["before the end"], chat.Messages.Select(m => m.Text));
        var polls = await moderator.InvokeAsync<PollView[]>(nameof(MeetingHub.GetPolls));
        Assert.Equal([PollState.Open, PollState.Draft], polls.Select(p => p.State));
        Assert.Empty((await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.GetFloor))).Speakers);
        await speaker.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));
        Assert.Single(listener.AudioReceived);
        var qa = await listener.InvokeAsync<QaSnapshot>(nameof(MeetingHub.GetQuestions));
        Assert.Equal([(question.QuestionId, 0, false)], qa.Questions.Select(q => (q.QuestionId, q.Votes, q.Answered)));

        using var http = deployment.B.CreateHttpClient();
        using var export = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export", UriKind.Relative));
        export.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var response = await http.SendAsync(export, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
