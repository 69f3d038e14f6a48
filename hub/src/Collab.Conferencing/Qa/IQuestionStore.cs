namespace Collab.Conferencing.Qa;

/// <summary>
/// A meeting's questions, upvotes and Q&amp;A settings. An upvote is keyed by participant id, so however many nodes,
/// connections or resends deliver it, it counts once; setting or withdrawing it and the count move together,
/// atomically. Moderator changes apply their consequences (one highlighted question per meeting) atomically too.
/// </summary>
public interface IQuestionStore
{
    /// <summary>Stores the question unless the asker already sent this client id (then returns that one) or the meeting holds <paramref name="maxQuestions"/>.</summary>
    Task<AskResult> AskAsync(string meetingId, QuestionDraft draft, int maxQuestions, CancellationToken cancellationToken = default);

    Task<Question?> GetAsync(string meetingId, string questionId, CancellationToken cancellationToken = default);

    /// <summary>Every question of the meeting, in ask order.</summary>
    Task<IReadOnlyList<Question>> ListAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Sets (<paramref name="upvote"/>) or withdraws the participant's upvote; null when the question is unknown.</summary>
    Task<UpvoteResult?> SetUpvoteAsync(string meetingId, string questionId, string participantId, bool upvote, CancellationToken cancellationToken = default);

    /// <summary>The ids of the questions the participant upvotes now.</summary>
    Task<IReadOnlyList<string>> GetUpvotedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a moderator's change. Null when the question is unknown; otherwise every question whose flags changed
    /// (none when it already was so; two when a highlight moves), each with its version raised.
    /// </summary>
    Task<IReadOnlyList<Question>?> ChangeAsync(string meetingId, string questionId, QuestionChange change, CancellationToken cancellationToken = default);

    Task<QaSettings> GetSettingsAsync(string meetingId, CancellationToken cancellationToken = default);

    Task SetSettingsAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default);
}
