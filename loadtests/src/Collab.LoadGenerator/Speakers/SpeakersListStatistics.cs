using System.Collections.Concurrent;
using Collab.Codec.Statistics;
using Collab.LoadGenerator.Scenarios;

namespace Collab.LoadGenerator.Speakers;

/// <summary>
/// What the speakers-list scenario observed: the place each participant's own answer gave it when all asked at once,
/// the queue the hub then held, the order the moderator handed the floor in, how long a turn took to reach its
/// speaker (given → the speaker's push naming it), and how many list pushes each participant received.
/// </summary>
internal sealed class SpeakersListStatistics
{
    private long _pushes;

    /// <summary>Participant id → its place (0-based) in the queue its own AskToSpeak answer showed.</summary>
    public ConcurrentDictionary<string, int> Places { get; } = new(StringComparer.Ordinal);

    /// <summary>The queue as the moderator read it once every ask was answered.</summary>
    public IReadOnlyList<string> QueueAtStart { get; set; } = [];

    /// <summary>Who the moderator's NextSpeaker calls gave the floor to, in order.</summary>
    public ConcurrentQueue<string> Given { get; } = new();

    /// <summary>Participant id → when the moderator started giving it the floor (run ms).</summary>
    public ConcurrentDictionary<string, double> GivenAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Participant id → when it first saw itself speaking in a push (run ms).</summary>
    public ConcurrentDictionary<string, double> SeenAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Speaking time the hub measured over the run (every person, ms).</summary>
    public long SpeakingMilliseconds { get; set; }

    public long Pushes => Interlocked.Read(ref _pushes);

    public void Pushed() => Interlocked.Increment(ref _pushes);

    public SpeakersListResult Result(int participants)
    {
        var queue = QueueAtStart;
        var placesExact = Places.Count > 0 && queue.Count == Places.Count && queue.Distinct(StringComparer.Ordinal).Count() == queue.Count
            && Places.All(place => place.Value < queue.Count && queue[place.Value] == place.Key);
        var given = Given.ToArray();
        var inOrder = given.Length <= queue.Count && given.SequenceEqual(queue.Take(given.Length), StringComparer.Ordinal);
        var seen = new LatencySamples();
        foreach (var (participant, at) in SeenAt)
        {
            if (GivenAt.TryGetValue(participant, out var givenAt))
            {
                seen.Add(at - givenAt);
            }
        }

        var sorted = seen.Sorted();
        return new SpeakersListResult(Places.Count, queue.Count, placesExact, given.Length, inOrder, SeenAt.Count,
            Percentile.OfSorted(sorted, 0.5), Percentile.OfSorted(sorted, 0.99),
            participants == 0 ? 0 : Pushes / (double)participants, SpeakingMilliseconds);
    }
}

/// <summary>
/// The speakers-list figures: participants who asked (all at once) and the queue's length; whether every one was
/// placed once, where its own answer said (exact under the burst); turns handed out and whether in the queue's order;
/// turn given → seen by its speaker p50/p99; list pushes per participant over the run (coalesced); speaking time
/// measured by the hub.
/// </summary>
internal sealed record SpeakersListResult(
    int Asked,
    int Queued,
    bool QueueExact,
    int Turns,
    bool TurnsInOrder,
    int TurnsSeen,
    double SeenP50Milliseconds,
    double SeenP99Milliseconds,
    double PushesPerParticipant,
    long SpeakingMilliseconds);
