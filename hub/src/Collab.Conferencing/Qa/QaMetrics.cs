using System.Diagnostics.Metrics;

namespace Collab.Conferencing.Qa;

/// <summary>Q&amp;A instruments (meter <see cref="ConferencingMetrics.MeterName"/>); the load generator reports the same names.</summary>
public sealed class QaMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _questions;
    private readonly Counter<long> _upvotes;
    private readonly Counter<long> _pushes;

    public QaMetrics(IMeterFactory meterFactory)
    {
        // The factory owns (and disposes) the meters it creates.
        _meter = meterFactory.Create(ConferencingMetrics.MeterName);
        var meter = _meter;
        _questions = meter.CreateCounter<long>("collab.qa.questions", "{question}", "Questions asked (resends not counted).");
        _upvotes = meter.CreateCounter<long>("collab.qa.upvotes", "{upvote}", "Upvotes set or withdrawn (resends that changed nothing not counted).");
        _pushes = meter.CreateCounter<long>("collab.qa.vote_pushes", "{push}", "Question pushes for vote changes after coalescing.");
    }

    public void QuestionAsked() => _questions.Add(1);

    public void UpvoteChanged() => _upvotes.Add(1);

    public void VotesPushed() => _pushes.Add(1);
}
