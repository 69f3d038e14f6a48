using System.Net;
using Collab.Conferencing.Qa;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Tests.Qa;

public sealed class QaHubTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Questions_follow_the_rules_of_roles_anonymity_hiding_answering_bad_input_and_rate_limits()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Water committee", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, anaJoin) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var (ben, _) = await host.JoinAsync(meeting, "Ben", protocol: HubProtocol.MessagePack);
        await using var _b = ben;

        var named = await ana.InvokeAsync<QuestionView>(nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k1", "Where does the water money go?"));
        var resent = await ana.InvokeAsync<QuestionView>(nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k1", "Where does the water money go?"));
        var anonymousRefused = await Refused(ana, nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k2", "Who decides?", Anonymous: true));
        var answerRefused = await Refused(ben, nameof(MeetingHub.SetQuestionAnswered), named.QuestionId, true);
        var settingsRefused = await Refused(ben, nameof(MeetingHub.SetQaSettings), new QaSettings(AllowAnonymous: true));

        Assert.Equal(("q1", anaJoin.ParticipantId, "Ana", false), (named.QuestionId, named.AuthorId, named.DisplayName, named.Anonymous));
        Assert.Equal(named, resent);
        Assert.Equal("forbidden: Anonymous questions are not allowed in this meeting; ask with your name.", anonymousRefused);
        Assert.Equal("forbidden: Only a moderator may mark a question answered.", answerRefused);
        Assert.Equal("forbidden: Only a moderator may change the Q&A settings.", settingsRefused);

        // The moderator allows anonymous questions; everyone is told, and an anonymous question names nobody, even to moderators.
        await moderator.InvokeAsync<QaSettings>(nameof(MeetingHub.SetQaSettings), new QaSettings(AllowAnonymous: true));
        await ben.WaitForAsync(c => c.QaSettingsReceived.Any(s => s.AllowAnonymous), "the settings push");
        var anonymous = await ben.InvokeAsync<QuestionView>(nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k2", "Who decides?", Anonymous: true));
        await moderator.WaitForAsync(c => c.LatestQuestion(anonymous.QuestionId) is not null, "the anonymous question");
        Assert.Equal((true, (string?)null, (string?)null), (anonymous.Anonymous, anonymous.AuthorId, anonymous.DisplayName));
        Assert.Null(moderator.LatestQuestion(anonymous.QuestionId)!.AuthorId);

        // Upvotes: once per participant, withdrawable; bad ids are refused clearly.
        var up = await ben.InvokeAsync<UpvoteView>(nameof(MeetingHub.UpvoteQuestion), named.QuestionId);
        var upAgain = await ben.InvokeAsync<UpvoteView>(nameof(MeetingHub.UpvoteQuestion), named.QuestionId);
        await ana.InvokeAsync<UpvoteView>(nameof(MeetingHub.UpvoteQuestion), named.QuestionId);
        Assert.Equal(new UpvoteView(named.QuestionId, true, 1), up);
        Assert.Equal(new UpvoteView(named.QuestionId, true, 1), upAgain);
        Assert.Equal("not_found: No question 'q99' in this meeting.", await Refused(ben, nameof(MeetingHub.UpvoteQuestion), "q99"));
        Assert.StartsWith("invalid_input: questionId must be", await Refused(ben, nameof(MeetingHub.UpvoteQuestion), "no spaces"), StringComparison.Ordinal);
        await ana.WaitForAsync(c => c.LatestQuestion(named.QuestionId)?.Votes == 2, "both upvotes pushed");

        // Hiding: participants drop it and can no longer reach it; moderators keep it; a hidden question cannot be highlighted.
        await moderator.InvokeAsync<QuestionView>(nameof(MeetingHub.SetQuestionHidden), anonymous.QuestionId, true);
        await ana.WaitForAsync(c => c.QuestionsRemovedReceived.Any(r => r.QuestionId == anonymous.QuestionId), "the removal");
        var anaSees = await ana.InvokeAsync<QaSnapshot>(nameof(MeetingHub.GetQuestions));
        var moderatorSees = await moderator.InvokeAsync<QaSnapshot>(nameof(MeetingHub.GetQuestions));
        Assert.Equal([named.QuestionId], anaSees.Questions.Select(q => q.QuestionId));
        Assert.Equal([named.QuestionId], anaSees.MyUpvotes);
        Assert.True(anaSees.Settings.AllowAnonymous);
        Assert.Equal([false, true], moderatorSees.Questions.Select(q => q.Hidden));
        Assert.Equal("not_found: No question 'q2' in this meeting.", await Refused(ana, nameof(MeetingHub.UpvoteQuestion), anonymous.QuestionId));
        Assert.Equal("conflict: Question 'q2' is hidden; show it before highlighting it.", await Refused(moderator, nameof(MeetingHub.SetQuestionHighlighted), anonymous.QuestionId, true));

        // Highlight, then answer: the highlight ends, and an answered question takes no more upvotes (withdrawing still works).
        var highlighted = await moderator.InvokeAsync<QuestionView>(nameof(MeetingHub.SetQuestionHighlighted), named.QuestionId, true);
        await ben.WaitForAsync(c => c.LatestQuestion(named.QuestionId)?.Highlighted == true, "the highlight");
        var answered = await moderator.InvokeAsync<QuestionView>(nameof(MeetingHub.SetQuestionAnswered), named.QuestionId, true);
        Assert.True(highlighted.Highlighted);
        Assert.Equal((true, false), (answered.Answered, answered.Highlighted));
        await ben.InvokeAsync<UpvoteView>(nameof(MeetingHub.WithdrawUpvote), named.QuestionId);
        Assert.Equal("conflict: Question 'q1' has been answered; it takes no more upvotes.", await Refused(ben, nameof(MeetingHub.UpvoteQuestion), named.QuestionId));

        // Size and rate limits, as for chat: 501 characters is one too many, and Ana's fourth call in a burst waits.
        Assert.Equal("invalid_input: Question text is 501 characters; the limit is 500.", await Refused(ben, nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k3", new string('x', 501))));
        var limited = await Refused(ana, nameof(MeetingHub.AskQuestion), new AskQuestionRequest("k4", "One more?"));
        Assert.StartsWith("rate_limited: Too many questions: at most 0.2 per second (bursts of 3)", limited, StringComparison.Ordinal);

        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export/questions.csv", UriKind.Relative));
        request.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var response = await http.SendAsync(request, Cancel);
        var csv = (await response.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, csv.Length);
        Assert.EndsWith(",Ana,false,Where does the water money go?,1,true,false,false", csv[1]);
        Assert.EndsWith(",,,true,Who decides?,0,false,true,false", csv[2]);
    }

    private static async Task<string> Refused(MeetingClient client, string method, params object?[] arguments) =>
        (await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync(method, arguments))).Reason();
}
