using Collab.Conferencing.Qa;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The question store's contract: ask order, idempotent asks, one upvote per participant, moderator changes.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>A fresh question store that shares nothing with other tests.</summary>
    protected abstract IQuestionStore CreateQuestionStore();

    [Fact]
    public async Task Questions_are_numbered_in_ask_order_and_a_resend_returns_the_stored_question()
    {
        var store = CreateQuestionStore();

        var first = await store.AskAsync("m", AskDraft("c1", "p1", "Why?"), 10, Ct);
        var anonymous = await store.AskAsync("m", AskDraft("c2", "p2", "How much?", anonymous: true), 10, Ct);
        var resend = await store.AskAsync("m", AskDraft("c1", "p1", "Why? (resent)"), 10, Ct);
        var sameClientIdOtherAsker = await store.AskAsync("m", AskDraft("c1", "p3", "When?"), 10, Ct);
        var elsewhere = await store.AskAsync("other", AskDraft("c9", "p1", "Elsewhere"), 10, Ct);

        Assert.Equal(AskOutcome.Accepted, first.Outcome);
        Assert.Equal(("q1", 1L, "p1", "Name p1", "Why?"), (first.Question!.Id, first.Question.Number, first.Question.AuthorId, first.Question.DisplayName, first.Question.Text));
        Assert.Equal(AskOutcome.Duplicate, resend.Outcome);
        Assert.Equal(first.Question, resend.Question);
        Assert.Equal("q3", sameClientIdOtherAsker.Question!.Id);
        Assert.Equal("q1", elsewhere.Question!.Id);
        Assert.True(anonymous.Question!.Anonymous);
        Assert.Null(anonymous.Question.DisplayName);

        var listed = await store.ListAsync("m", Ct);
        Assert.Equal(["q1", "q2", "q3"], listed.Select(q => q.Id));
        Assert.Equal(first.Question, listed[0]);
        Assert.Equal(anonymous.Question, await store.GetAsync("m", "q2", Ct));
        Assert.Null(await store.GetAsync("other", "q2", Ct));
        Assert.Empty(await store.ListAsync("none", Ct));
    }

    [Fact]
    public async Task A_meeting_takes_no_more_questions_than_its_limit()
    {
        var store = CreateQuestionStore();
        await store.AskAsync("m", AskDraft("c1", "p1", "One"), 2, Ct);
        await store.AskAsync("m", AskDraft("c2", "p1", "Two"), 2, Ct);

        var third = await store.AskAsync("m", AskDraft("c3", "p1", "Three"), 2, Ct);
        var resend = await store.AskAsync("m", AskDraft("c2", "p1", "Two"), 2, Ct);

        Assert.Equal(AskOutcome.Full, third.Outcome);
        Assert.Null(third.Question);
        Assert.Equal(AskOutcome.Duplicate, resend.Outcome);
        Assert.Equal(2, (await store.ListAsync("m", Ct)).Count);
    }

    [Fact]
    public async Task An_upvote_counts_once_per_participant_and_can_be_withdrawn()
    {
        var store = CreateQuestionStore();
        await store.AskAsync("m", AskDraft("c1", "p1", "Why?"), 10, Ct);
        await store.AskAsync("m", AskDraft("c2", "p1", "How?"), 10, Ct);

        var up = await store.SetUpvoteAsync("m", "q1", "p2", upvote: true, Ct);
        var again = await store.SetUpvoteAsync("m", "q1", "p2", upvote: true, Ct);
        await store.SetUpvoteAsync("m", "q1", "p3", upvote: true, Ct);
        await store.SetUpvoteAsync("m", "q2", "p2", upvote: true, Ct);
        var withdrawn = await store.SetUpvoteAsync("m", "q1", "p3", upvote: false, Ct);
        var withdrawnAgain = await store.SetUpvoteAsync("m", "q1", "p3", upvote: false, Ct);

        Assert.Equal(new UpvoteResult(true, 1, 1), up);
        Assert.Equal(new UpvoteResult(false, 1, 1), again);
        Assert.Equal(new UpvoteResult(true, 1, 3), withdrawn);
        Assert.Equal(new UpvoteResult(false, 1, 3), withdrawnAgain);
        Assert.Null(await store.SetUpvoteAsync("m", "q9", "p2", upvote: true, Ct));
        Assert.Null(await store.SetUpvoteAsync("other", "q1", "p2", upvote: true, Ct));
        Assert.Equal(1, (await store.GetAsync("m", "q1", Ct))!.Votes);
        Assert.Equal(["q1", "q2"], await store.GetUpvotedAsync("m", "p2", Ct));
        Assert.Empty(await store.GetUpvotedAsync("m", "p3", Ct));
        Assert.Empty(await store.GetUpvotedAsync("other", "p2", Ct));
    }

    [Fact]
    public async Task Concurrent_upvotes_and_resends_give_an_exact_count()
    {
        var store = CreateQuestionStore();
        await store.AskAsync("m", AskDraft("c1", "p0", "Why?"), 10, Ct);

        // 300 participants upvote at once, each twice (a double click, a resend after a reconnect); 50 then withdraw.
        var ups = Enumerable.Range(0, 600).Select(i => store.SetUpvoteAsync("m", "q1", $"p{i % 300}", upvote: true, Ct));
        var results = await Task.WhenAll(ups).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var downs = Enumerable.Range(0, 50).Select(i => store.SetUpvoteAsync("m", "q1", $"p{i}", upvote: false, Ct));
        await Task.WhenAll(downs).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var question = await store.GetAsync("m", "q1", Ct);

        Assert.Equal(300, results.Count(result => result!.Changed));
        Assert.Equal(250, question!.Votes);
        Assert.Equal(350, question.Version);
    }

    [Fact]
    public async Task Moderator_changes_keep_one_highlighted_question_and_raise_versions()
    {
        var store = CreateQuestionStore();
        await store.AskAsync("m", AskDraft("c1", "p1", "One"), 10, Ct);
        await store.AskAsync("m", AskDraft("c2", "p1", "Two"), 10, Ct);

        var first = await store.ChangeAsync("m", "q1", QuestionChange.Highlight, Ct);
        var again = await store.ChangeAsync("m", "q1", QuestionChange.Highlight, Ct);
        var moved = await store.ChangeAsync("m", "q2", QuestionChange.Highlight, Ct);
        var answered = await store.ChangeAsync("m", "q2", QuestionChange.MarkAnswered, Ct);
        var hidden = await store.ChangeAsync("m", "q1", QuestionChange.Hide, Ct);
        var shown = await store.ChangeAsync("m", "q1", QuestionChange.Show, Ct);
        var reopened = await store.ChangeAsync("m", "q2", QuestionChange.Reopen, Ct);

        Assert.Equal([("q1", QuestionFlags.Highlighted, 1L)], first!.Select(Flags));
        Assert.Empty(again!);
        Assert.Equal([("q1", QuestionFlags.None, 2L), ("q2", QuestionFlags.Highlighted, 1L)], moved!.Select(Flags).OrderBy(f => f.Item1));
        Assert.Equal([("q2", QuestionFlags.Answered, 2L)], answered!.Select(Flags));
        Assert.Equal([("q1", QuestionFlags.Hidden, 3L)], hidden!.Select(Flags));
        Assert.Equal([("q1", QuestionFlags.None, 4L)], shown!.Select(Flags));
        Assert.Equal([("q2", QuestionFlags.None, 3L)], reopened!.Select(Flags));
        Assert.Null(await store.ChangeAsync("m", "q9", QuestionChange.Hide, Ct));

        // Highlighting after the highlighted one was answered moves nothing else.
        var later = await store.ChangeAsync("m", "q1", QuestionChange.Highlight, Ct);
        Assert.Equal([("q1", QuestionFlags.Highlighted, 5L)], later!.Select(Flags));
        Assert.Equal([QuestionFlags.Highlighted, QuestionFlags.None], (await store.ListAsync("m", Ct)).Select(q => q.Flags));
    }

    [Fact]
    public async Task Qa_settings_are_kept_per_meeting()
    {
        var store = CreateQuestionStore();

        var before = await store.GetSettingsAsync("m", Ct);
        await store.SetSettingsAsync("m", new QaSettings(AllowAnonymous: true), Ct);

        Assert.False(before.AllowAnonymous);
        Assert.True((await store.GetSettingsAsync("m", Ct)).AllowAnonymous);
        Assert.False((await store.GetSettingsAsync("other", Ct)).AllowAnonymous);
    }

    private static (string, QuestionFlags, long) Flags(Question question) => (question.Id, question.Flags, question.Version);

    private static QuestionDraft AskDraft(string clientId, string askerId, string text, bool anonymous = false) =>
        new(clientId, askerId, anonymous ? null : askerId, anonymous ? null : $"Name {askerId}", text, 1_000);
}
