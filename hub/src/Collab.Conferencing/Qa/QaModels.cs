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

/// <summary>A question's view (a contract record) built from the stored question.</summary>
public static class QuestionViewExtensions
{
    extension(QuestionView)
    {
        public static QuestionView Of(Question question) => new(
            question.Id, question.Number, question.Text, question.AuthorId, question.DisplayName, question.Anonymous,
            question.AskedAtUnixMs, question.Votes, question.Answered, question.Hidden, question.Highlighted, question.Version);
    }
}
