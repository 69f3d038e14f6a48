using Collab.Conferencing.Qa;

namespace Collab.Conferencing.Tests.Services;

public sealed class QaServiceTests
{
    [Fact]
    public async Task An_upvote_burst_is_pushed_at_once_then_once_per_interval_with_the_exact_count()
    {
        using var harness = new Harness(("TallyPushIntervalMilliseconds", "250"));
        var meeting = await harness.CreateMeetingAsync();
        var (asker, _) = await harness.JoinAsync(meeting, "Ana");
        var question = await harness.Qa.AskAsync(asker, new AskQuestionRequest("c1", "Where does the money go?"));
        var voters = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            voters.Add((await harness.JoinAsync(meeting, $"Voter {i}")).ConnectionId);
        }

        foreach (var voter in voters)
        {
            await harness.Qa.SetUpvoteAsync(voter, question.QuestionId, upvote: true);
            await harness.Qa.SetUpvoteAsync(voter, question.QuestionId, upvote: true); // a resend changes nothing
        }

        await harness.QaNotifier.WaitForAsync(n => n.Of<QuestionView>("question").Count == 2, "the ask and the first vote push");
        harness.Time.Advance(TimeSpan.FromMilliseconds(250));
        await harness.QaNotifier.WaitForAsync(n => n.Of<QuestionView>("question").Count == 3, "the coalesced vote push");
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var pushes = harness.QaNotifier.Of<QuestionView>("question");
        Assert.Equal([0, 1, 40], pushes.Select(p => p.Votes));
        Assert.Equal(40, pushes[^1].Version);
        Assert.Equal(40, (await harness.Qa.GetAsync(asker)).Questions.Single().Votes);
    }

    [Fact]
    public async Task The_export_holds_every_question_with_its_votes_and_names_nobody_for_an_anonymous_one()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, anaJoin) = await harness.JoinAsync(meeting, "Ana");
        await harness.Qa.SetSettingsAsync(moderator, new QaSettings(AllowAnonymous: true));
        var named = await harness.Qa.AskAsync(ana, new AskQuestionRequest("c1", "=SUM(A1) is the budget?"));
        await harness.Qa.AskAsync(ana, new AskQuestionRequest("c2", "Who decides?", Anonymous: true));
        await harness.Qa.SetUpvoteAsync(moderator, named.QuestionId, upvote: true);
        await harness.Qa.ChangeAsync(moderator, "q2", QuestionChange.Hide);

        var record = await harness.Export.GetRecordAsync(meeting.MeetingId, meeting.ModeratorKey);
        var csv = Export.MeetingRecordCsv.Questions(record).Split("\r\n");

        Assert.Equal([("q1", anaJoin.ParticipantId, 1, false), ("q2", (string?)null, 0, true)], record.Questions.Select(q => (q.QuestionId, q.AuthorId, q.Votes, q.Hidden)));
        Assert.Equal("question_id,number,asked_at_utc,participant_id,display_name,anonymous,text,upvotes,answered,hidden,highlighted", csv[0]);
        Assert.EndsWith($",{anaJoin.ParticipantId},Ana,false,'=SUM(A1) is the budget?,1,false,false,false", csv[1]);
        Assert.EndsWith(",,,true,Who decides?,0,false,true,false", csv[2]);
    }
}
