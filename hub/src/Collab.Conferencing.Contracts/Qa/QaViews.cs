namespace Collab.Conferencing.Qa;

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
    long Version);

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
