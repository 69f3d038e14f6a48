namespace Collab.Conferencing.Qa;

/// <summary>What a moderator has done to a question. <see cref="Highlighted"/>: the one being answered now (at most one per meeting).</summary>
[Flags]
public enum QuestionFlags
{
    None = 0,
    Answered = 1,
    Hidden = 2,
    Highlighted = 4,
}

/// <summary>
/// A question as stored. <see cref="Number"/> is its place in ask order (1, 2, ...; the id is <c>q{Number}</c>).
/// An anonymous question has no <see cref="AuthorId"/> or <see cref="DisplayName"/>: nobody, moderators and the export
/// included, can tell who asked it. <see cref="Version"/> grows with every change of its votes or flags.
/// </summary>
public sealed record Question(
    string MeetingId,
    string Id,
    long Number,
    string? AuthorId,
    string? DisplayName,
    string Text,
    long AskedAtUnixMs,
    QuestionFlags Flags,
    int Votes,
    long Version)
{
    public bool Anonymous => AuthorId is null;

    public bool Hidden => Flags.HasFlag(QuestionFlags.Hidden);

    public bool Answered => Flags.HasFlag(QuestionFlags.Answered);

    public bool Highlighted => Flags.HasFlag(QuestionFlags.Highlighted);
}

/// <summary>
/// A question about to be stored. <see cref="AskerId"/> keys the idempotency of <see cref="ClientQuestionId"/> only
/// (a resend after a reconnect returns the stored question); it is not part of the question.
/// </summary>
public sealed record QuestionDraft(string ClientQuestionId, string AskerId, string? AuthorId, string? DisplayName, string Text, long AskedAtUnixMs);

public enum AskOutcome
{
    Accepted,
    Duplicate,
    Full,
}

/// <summary>The stored question (null when <see cref="AskOutcome.Full"/>) and what happened.</summary>
public sealed record AskResult(Question? Question, AskOutcome Outcome);

/// <summary>An upvote set or withdrawn: <see cref="Changed"/> is false when it was already so (a resend, a double click).</summary>
public sealed record UpvoteResult(bool Changed, int Votes, long Version);

/// <summary>What a moderator can do to a question; the store applies it atomically with its consequences.</summary>
public enum QuestionChange
{
    /// <summary>Marks it answered; it stops being the highlighted one.</summary>
    MarkAnswered,
    Reopen,

    /// <summary>Hides it from everyone but moderators; it stops being the highlighted one.</summary>
    Hide,
    Show,

    /// <summary>Makes it the highlighted one; the question highlighted before stops being so.</summary>
    Highlight,
    Unhighlight,
}

/// <summary>The meeting's Q&amp;A settings, which moderators change live.</summary>
public sealed record QaSettings(bool AllowAnonymous);

/// <summary>A question as clients see it (pushed in <c>QuestionUpdated</c>); keep the one with the highest <see cref="Version"/>.</summary>
public sealed record QuestionView(
    string QuestionId,
    long Number,
    string Text,
    string? AuthorId,
    string? DisplayName,
    bool Anonymous,
    long AskedAtUnixMs,
    int Votes,
    bool Answered,
    bool Hidden,
    bool Highlighted,
    long Version)
{
    public static QuestionView Of(Question question) => new(
        question.Id, question.Number, question.Text, question.AuthorId, question.DisplayName, question.Anonymous,
        question.AskedAtUnixMs, question.Votes, question.Answered, question.Hidden, question.Highlighted, question.Version);
}

/// <summary>Pushed to participants when a question is hidden: drop it (moderators get a <c>QuestionUpdated</c> instead).</summary>
public sealed record QuestionRemovedView(string QuestionId, long Version);

/// <summary>
/// Everything a client starts its Q&amp;A panel from: the settings, the questions it may see (in ask order) and the
/// ids of those it upvoted. Ask for it after joining and after every reconnect.
/// </summary>
public sealed record QaSnapshot(QaSettings Settings, IReadOnlyList<QuestionView> Questions, IReadOnlyList<string> MyUpvotes);

/// <summary>
/// A new question. <see cref="ClientQuestionId"/> makes a resend idempotent (as chat's client message id).
/// <see cref="Anonymous"/> is nullable (MessagePack fills a missing field with false anyway): null means named.
/// </summary>
public sealed record AskQuestionRequest(string? ClientQuestionId, string? Text, bool? Anonymous = null);

/// <summary>The caller's upvote on a question as it stands after the call, and the question's count.</summary>
public sealed record UpvoteView(string QuestionId, bool Upvoted, int Votes);
