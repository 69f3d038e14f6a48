using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Qa;

/// <summary>
/// Questions from the floor. Participants ask (anonymously when a moderator allows it) and upvote, once each
/// (keyed by participant id, so reconnects, other nodes and resends never count twice; an upvote can be withdrawn).
/// Moderators mark questions answered, hide them, and highlight the one being answered. Who may call what (roles,
/// ended meetings, rate limits) is the hub's rule, applied before these methods run.
/// </summary>
public sealed class QaService(
    IQuestionStore store,
    ConnectionRegistry registry,
    IQaNotifier notifier,
    QuestionVoteCoalescer coalescer,
    QaMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    Pushes.BestEffortPushes pushes)
{
    /// <summary>The caller's starting point: settings, the questions it may see (hidden ones for moderators only) and its upvotes.</summary>
    public async Task<QaSnapshot> GetAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var settings = await store.GetSettingsAsync(session.MeetingId, cancellationToken);
        var questions = await store.ListAsync(session.MeetingId, cancellationToken);
        var upvoted = await store.GetUpvotedAsync(session.MeetingId, session.ParticipantId, cancellationToken);
        var visible = questions.Where(question => IsVisible(question, session)).Select(QuestionView.Of).ToArray();
        var visibleIds = visible.Select(view => view.QuestionId).ToHashSet(StringComparer.Ordinal);
        return new QaSnapshot(settings, visible, [.. upvoted.Where(visibleIds.Contains)]);
    }

    public async Task<QuestionView> AskAsync(string connectionId, AskQuestionRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var clientQuestionId = Inputs.Id(request?.ClientQuestionId, "clientQuestionId");
        var text = Inputs.Text(request?.Text, "Question text", options.Value.MaxQuestionLength, multiline: true);
        var anonymous = request?.Anonymous ?? false;
        if (anonymous && !(await store.GetSettingsAsync(session.MeetingId, cancellationToken)).AllowAnonymous)
        {
            throw ConferencingException.Forbidden("Anonymous questions are not allowed in this meeting; ask with your name.");
        }

        var draft = new QuestionDraft(clientQuestionId, session.ParticipantId,
            anonymous ? null : session.ParticipantId, anonymous ? null : session.DisplayName, text, time.GetUtcNow().ToUnixTimeMilliseconds());
        var result = await store.AskAsync(session.MeetingId, draft, options.Value.MaxQuestionsPerMeeting, cancellationToken);
        if (result.Outcome == AskOutcome.Full)
        {
            throw ConferencingException.Conflict($"This meeting already has {options.Value.MaxQuestionsPerMeeting} questions, the most it takes.");
        }

        var view = QuestionView.Of(result.Question!);
        if (result.Outcome == AskOutcome.Accepted)
        {
            metrics.QuestionAsked();
            await pushes.RunAsync("question", session.MeetingId, () => notifier.QuestionUpdatedAsync(session.MeetingId, view, PresenceAudience.Everyone, cancellationToken), cancellationToken);
        }

        return view;
    }

    /// <summary>Sets or withdraws the caller's upvote; doing what is already so changes nothing and answers the same.</summary>
    public async Task<UpvoteView> SetUpvoteAsync(string connectionId, string? questionId, bool upvote, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(questionId, "questionId");
        var question = await store.GetAsync(session.MeetingId, id, cancellationToken) is { } found && IsVisible(found, session) ? found : throw NotFound(id);
        if (upvote && question.Answered)
        {
            throw ConferencingException.Conflict($"Question '{id}' has been answered; it takes no more upvotes.");
        }

        var result = await store.SetUpvoteAsync(session.MeetingId, id, session.ParticipantId, upvote, cancellationToken) ?? throw NotFound(id);
        if (result.Changed)
        {
            metrics.UpvoteChanged();
            coalescer.VotesChanged(session.MeetingId, id);
        }

        return new UpvoteView(id, upvote, result.Votes);
    }

    /// <summary>A moderator's change; pushes every question it changed (none when it already was so).</summary>
    public async Task<QuestionView> ChangeAsync(string connectionId, string? questionId, QuestionChange change, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(questionId, "questionId");
        if (change == QuestionChange.Highlight && (await store.GetAsync(session.MeetingId, id, cancellationToken))?.Hidden == true)
        {
            throw ConferencingException.Conflict($"Question '{id}' is hidden; show it before highlighting it.");
        }

        var changed = await store.ChangeAsync(session.MeetingId, id, change, cancellationToken) ?? throw NotFound(id);
        foreach (var question in changed)
        {
            var view = QuestionView.Of(question);
            if (question.Hidden)
            {
                await pushes.RunAsync("question", session.MeetingId, () => notifier.QuestionUpdatedAsync(session.MeetingId, view, PresenceAudience.Moderators, cancellationToken), cancellationToken);
                if (change == QuestionChange.Hide)
                {
                    await pushes.RunAsync("question", session.MeetingId, () => notifier.QuestionRemovedAsync(session.MeetingId, new QuestionRemovedView(question.Id, question.Version), cancellationToken), cancellationToken);
                }
            }
            else
            {
                await pushes.RunAsync("question", session.MeetingId, () => notifier.QuestionUpdatedAsync(session.MeetingId, view, PresenceAudience.Everyone, cancellationToken), cancellationToken);
            }
        }

        return changed.FirstOrDefault(question => question.Id == id) is { } mine
            ? QuestionView.Of(mine)
            : QuestionView.Of(await store.GetAsync(session.MeetingId, id, cancellationToken) ?? throw NotFound(id));
    }

    public async Task<QaSettings> SetSettingsAsync(string connectionId, QaSettings? settings, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var chosen = settings ?? throw ConferencingException.Invalid("settings are required.");
        await store.SetSettingsAsync(session.MeetingId, chosen, cancellationToken);
        await pushes.RunAsync("question", session.MeetingId, () => notifier.QaSettingsUpdatedAsync(session.MeetingId, chosen, cancellationToken), cancellationToken);
        return chosen;
    }

    /// <summary>The one rule of who sees a question: a hidden one is the moderators'.</summary>
    private static bool IsVisible(Question question, Session session) => !question.Hidden || session.IsModerator;

    private static ConferencingException NotFound(string questionId) => ConferencingException.NotFound($"No question '{questionId}' in this meeting.");
}
