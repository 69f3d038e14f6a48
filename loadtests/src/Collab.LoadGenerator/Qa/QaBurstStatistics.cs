using System.Collections.Concurrent;
using Collab.Codec.Statistics;
using Collab.LoadGenerator.Scenarios;

namespace Collab.LoadGenerator.Qa;

/// <summary>
/// What the qa-burst scenario observed: when each question was asked, the upvotes the hub confirmed (and those cut
/// off mid-call), the count the hub holds at the end, how long a question took to reach each participant, and how
/// many question pushes (coalesced vote changes) each participant received.
/// </summary>
internal sealed class QaBurstStatistics
{
    private long _upvotes;
    private long _pushes;

    /// <summary>When the moderator asked each question (run milliseconds), by question id once the hub answered.</summary>
    public ConcurrentDictionary<string, double> AskedAt { get; } = new(StringComparer.Ordinal);

    /// <summary>When the moderator started asking, by question text (a push can overtake the moderator's answer).</summary>
    public ConcurrentDictionary<string, double> AskStartedAt { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> ConfirmedUpvotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Per question: upvote calls cut off mid-flight and never confirmed since (stored or not: a retry never adds one).</summary>
    public ConcurrentDictionary<string, int> UncertainUpvotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Each question's count as the hub lists it after the run.</summary>
    public ConcurrentDictionary<string, int> FinalVotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Question asked → a participant's first push of it.</summary>
    public LatencySamples SeenLatencies { get; } = new();

    public long Upvotes => Interlocked.Read(ref _upvotes);

    public long Pushes => Interlocked.Read(ref _pushes);

    public void Pushed() => Interlocked.Increment(ref _pushes);

    public void Upvoted(string questionId)
    {
        Interlocked.Increment(ref _upvotes);
        ConfirmedUpvotes.AddOrUpdate(questionId, 1, (_, count) => count + 1);
    }

    public QaBurstResult Result(int participants)
    {
        var seen = SeenLatencies.Sorted();
        return new QaBurstResult(
            AskedAt.Count,
            Upvotes,
            AskedAt.Keys.ToDictionary(id => id, id => new TallyCheck(ConfirmedUpvotes.GetValueOrDefault(id), FinalVotes.GetValueOrDefault(id, -1), UncertainUpvotes.GetValueOrDefault(id)), StringComparer.Ordinal),
            Percentile.OfSorted(seen, 0.5),
            Percentile.OfSorted(seen, 0.99),
            AskedAt.IsEmpty || participants == 0 ? 0 : Pushes / (double)(AskedAt.Count * participants));
    }
}

/// <summary>
/// The qa-burst figures: questions asked, upvotes confirmed, each question's count checked against them (exact: every
/// confirmed upvote once, plus at most the uncertain ones), question asked → seen p50/p99, and question pushes per
/// participant per question (each upvote changes the count; coalescing keeps the pushes to a handful).
/// </summary>
internal sealed record QaBurstResult(
    int Questions,
    long Upvotes,
    IReadOnlyDictionary<string, TallyCheck> Counts,
    double SeenP50Milliseconds,
    double SeenP99Milliseconds,
    double PushesPerParticipantPerQuestion)
{
    public bool CountsExact => Counts.Values.All(count => count.Exact);
}
