
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Qa;

/// <summary>The questions of a single node; one lock per meeting makes every change atomic.</summary>
public sealed class InMemoryQuestionStore : IQuestionStore, IMeetingEviction
{
    private readonly Dictionary<string, MeetingQa> _meetings = new(StringComparer.Ordinal);

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            _meetings.Remove(meetingId);
        }

        return Task.CompletedTask;
    }

    public Task<AskResult> AskAsync(string meetingId, QuestionDraft draft, int maxQuestions, CancellationToken cancellationToken = default)
    {
        var qa = For(meetingId);
        lock (qa)
        {
            if (qa.ClientIds.TryGetValue((draft.AskerId, draft.ClientQuestionId), out var existing))
            {
                return Task.FromResult(new AskResult(qa.Questions[existing], AskOutcome.Duplicate));
            }

            if (qa.Questions.Count >= maxQuestions)
            {
                return Task.FromResult(new AskResult(null, AskOutcome.Full));
            }

            var number = qa.Questions.Count + 1;
            var question = new Question(meetingId, $"q{number}", number, draft.AuthorId, draft.DisplayName, draft.Text, draft.AskedAtUnixMs, QuestionFlags.None, 0, 0);
            qa.Questions[question.Id] = question;
            qa.Order.Add(question.Id);
            qa.ClientIds[(draft.AskerId, draft.ClientQuestionId)] = question.Id;
            return Task.FromResult(new AskResult(question, AskOutcome.Accepted));
        }
    }

    public Task<Question?> GetAsync(string meetingId, string questionId, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult<Question?>(null);
        }

        lock (qa)
        {
            return Task.FromResult(qa.Questions.GetValueOrDefault(questionId));
        }
    }

    public Task<IReadOnlyList<Question>> ListAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult<IReadOnlyList<Question>>([]);
        }

        lock (qa)
        {
            return Task.FromResult<IReadOnlyList<Question>>([.. qa.Order.Select(id => qa.Questions[id])]);
        }
    }

    public Task<UpvoteResult?> SetUpvoteAsync(string meetingId, string questionId, string participantId, bool upvote, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult<UpvoteResult?>(null);
        }

        lock (qa)
        {
            if (!qa.Questions.TryGetValue(questionId, out var question))
            {
                return Task.FromResult<UpvoteResult?>(null);
            }

            var changed = upvote ? qa.Upvotes.Add((questionId, participantId)) : qa.Upvotes.Remove((questionId, participantId));
            if (changed)
            {
                question = question with { Votes = question.Votes + (upvote ? 1 : -1), Version = question.Version + 1 };
                qa.Questions[questionId] = question;
            }

            return Task.FromResult<UpvoteResult?>(new UpvoteResult(changed, question.Votes, question.Version));
        }
    }

    public Task<IReadOnlyList<string>> GetUpvotedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        lock (qa)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. qa.Order.Where(id => qa.Upvotes.Contains((id, participantId)))]);
        }
    }

    public Task<IReadOnlyList<Question>?> ChangeAsync(string meetingId, string questionId, QuestionChange change, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult<IReadOnlyList<Question>?>(null);
        }

        lock (qa)
        {
            if (!qa.Questions.TryGetValue(questionId, out var question))
            {
                return Task.FromResult<IReadOnlyList<Question>?>(null);
            }

            var changed = new List<Question>();
            if (change == QuestionChange.Highlight && qa.Highlighted is { } previous && previous != questionId)
            {
                Apply(qa, qa.Questions[previous], qa.Questions[previous].Flags & ~QuestionFlags.Highlighted, changed);
            }

            var flags = QuestionFlagRules.Apply(question.Flags, change);
            Apply(qa, question, flags, changed);
            return Task.FromResult<IReadOnlyList<Question>?>(changed);
        }
    }

    public Task<QaSettings> GetSettingsAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var qa = Find(meetingId);
        if (qa is null)
        {
            return Task.FromResult(new QaSettings(AllowAnonymous: false));
        }

        lock (qa)
        {
            return Task.FromResult(qa.Settings);
        }
    }

    public Task SetSettingsAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default)
    {
        var qa = For(meetingId);
        lock (qa)
        {
            qa.Settings = settings;
        }

        return Task.CompletedTask;
    }

    private static void Apply(MeetingQa qa, Question question, QuestionFlags flags, List<Question> changed)
    {
        if (flags == question.Flags)
        {
            return;
        }

        var updated = question with { Flags = flags, Version = question.Version + 1 };
        qa.Questions[question.Id] = updated;
        if (updated.Highlighted)
        {
            qa.Highlighted = question.Id;
        }
        else if (qa.Highlighted == question.Id)
        {
            qa.Highlighted = null;
        }

        changed.Add(updated);
    }

    private MeetingQa? Find(string meetingId)
    {
        lock (_meetings)
        {
            return _meetings.GetValueOrDefault(meetingId);
        }
    }

    private MeetingQa For(string meetingId)
    {
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out var qa))
            {
                _meetings[meetingId] = qa = new MeetingQa();
            }

            return qa;
        }
    }

    private sealed class MeetingQa
    {
        public Dictionary<string, Question> Questions { get; } = new(StringComparer.Ordinal);

        public List<string> Order { get; } = [];

        public Dictionary<(string AskerId, string ClientQuestionId), string> ClientIds { get; } = [];

        public HashSet<(string QuestionId, string ParticipantId)> Upvotes { get; } = [];

        public string? Highlighted { get; set; }

        public QaSettings Settings { get; set; } = new(AllowAnonymous: false);
    }
}

/// <summary>How a moderator's change moves a question's flags: the bits it sets, then those it clears. Both stores follow it (Redis in its script).</summary>
public static class QuestionFlagRules
{
    public static QuestionFlags Apply(QuestionFlags flags, QuestionChange change)
    {
        var (set, clear) = Bits(change);
        return (flags | set) & ~clear;
    }

    public static (QuestionFlags Set, QuestionFlags Clear) Bits(QuestionChange change) => change switch
    {
        QuestionChange.MarkAnswered => (QuestionFlags.Answered, QuestionFlags.Highlighted),
        QuestionChange.Reopen => (QuestionFlags.None, QuestionFlags.Answered),
        QuestionChange.Hide => (QuestionFlags.Hidden, QuestionFlags.Highlighted),
        QuestionChange.Show => (QuestionFlags.None, QuestionFlags.Hidden),
        QuestionChange.Highlight => (QuestionFlags.Highlighted, QuestionFlags.None),
        QuestionChange.Unhighlight => (QuestionFlags.None, QuestionFlags.Highlighted),
        _ => (QuestionFlags.None, QuestionFlags.None),
    };
}
