
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Polls;

/// <summary>Polls and ballots in this process; one lock per poll makes cast and close atomic.</summary>
public sealed class InMemoryPollStore : IPollStore, IMeetingEviction
{
    private readonly Dictionary<(string MeetingId, string PollId), PollEntry> _polls = [];
    private readonly Dictionary<string, List<string>> _pollOrder = new(StringComparer.Ordinal);

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_polls)
        {
            if (_pollOrder.Remove(meetingId, out var order))
            {
                order.ForEach(pollId => _polls.Remove((meetingId, pollId)));
            }
        }

        return Task.CompletedTask;
    }

    public Task CreateAsync(Poll poll, CancellationToken cancellationToken = default)
    {
        lock (_polls)
        {
            _polls.Add((poll.MeetingId, poll.Id), new PollEntry(poll));
            if (!_pollOrder.TryGetValue(poll.MeetingId, out var order))
            {
                _pollOrder[poll.MeetingId] = order = [];
            }

            order.Add(poll.Id);
        }

        return Task.CompletedTask;
    }

    public Task<Poll?> GetAsync(string meetingId, string pollId, CancellationToken cancellationToken = default)
    {
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult<Poll?>(null);
        }

        lock (entry)
        {
            return Task.FromResult<Poll?>(entry.Poll);
        }
    }

    public async Task<IReadOnlyList<Poll>> ListAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        string[] ids;
        lock (_polls)
        {
            ids = _pollOrder.TryGetValue(meetingId, out var order) ? [.. order] : [];
        }

        var polls = new List<Poll>(ids.Length);
        foreach (var id in ids)
        {
            if (await GetAsync(meetingId, id, cancellationToken) is { } poll)
            {
                polls.Add(poll);
            }
        }

        return polls;
    }

    public Task<PollTransition?> TransitionAsync(string meetingId, string pollId, PollState from, PollState to, long atUnixMs, CancellationToken cancellationToken = default)
    {
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult<PollTransition?>(null);
        }

        lock (entry)
        {
            if (entry.Poll.State != from)
            {
                return Task.FromResult<PollTransition?>(new PollTransition(entry.Poll, Changed: false));
            }

            entry.Poll = to switch
            {
                PollState.Open => entry.Poll with { State = to, OpenedAtUnixMs = atUnixMs },
                PollState.Closed => entry.Poll with { State = to, ClosedAtUnixMs = atUnixMs },
                _ => entry.Poll with { State = to },
            };
            return Task.FromResult<PollTransition?>(new PollTransition(entry.Poll, Changed: true));
        }
    }

    public Task<CastOutcome> CastAsync(string meetingId, string pollId, Ballot ballot, CancellationToken cancellationToken = default)
    {
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult(CastOutcome.PollNotFound);
        }

        lock (entry)
        {
            if (entry.Poll.State != PollState.Open)
            {
                return Task.FromResult(CastOutcome.PollNotOpen);
            }

            entry.Ballots[ballot.ParticipantId] = [.. ballot.OptionIndexes];
            entry.Version++;
            return Task.FromResult(CastOutcome.Accepted);
        }
    }

    public Task<PollTally> GetTallyAsync(string meetingId, string pollId, int optionCount, bool final, CancellationToken cancellationToken = default)
    {
        var counts = new int[optionCount];
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult(new PollTally(pollId, counts, 0, 0, final));
        }

        lock (entry)
        {
            foreach (var option in entry.Ballots.Values.SelectMany(indexes => indexes).Where(index => index >= 0 && index < optionCount))
            {
                counts[option]++;
            }

            return Task.FromResult(new PollTally(pollId, counts, entry.Ballots.Count, entry.Version, final));
        }
    }

    public Task<IReadOnlyList<int>?> GetBallotAsync(string meetingId, string pollId, string participantId, CancellationToken cancellationToken = default)
    {
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult<IReadOnlyList<int>?>(null);
        }

        lock (entry)
        {
            return Task.FromResult<IReadOnlyList<int>?>(entry.Ballots.GetValueOrDefault(participantId));
        }
    }

    public Task<IReadOnlyList<Ballot>> GetBallotsAsync(string meetingId, string pollId, CancellationToken cancellationToken = default)
    {
        var entry = Find(meetingId, pollId);
        if (entry is null)
        {
            return Task.FromResult<IReadOnlyList<Ballot>>([]);
        }

        lock (entry)
        {
            return Task.FromResult<IReadOnlyList<Ballot>>([.. entry.Ballots.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new Ballot(pair.Key, pair.Value))]);
        }
    }

    private PollEntry? Find(string meetingId, string pollId)
    {
        lock (_polls)
        {
            return _polls.GetValueOrDefault((meetingId, pollId));
        }
    }

    private sealed class PollEntry(Poll poll)
    {
        public Poll Poll { get; set; } = poll;

        public long Version { get; set; }

        public Dictionary<string, int[]> Ballots { get; } = new(StringComparer.Ordinal);
    }
}
