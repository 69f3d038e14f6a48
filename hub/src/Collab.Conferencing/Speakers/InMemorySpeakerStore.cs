using Collab.Conferencing.Audio;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Speakers;

/// <summary>The list of speakers in this process (the single-node default): one lock over every meeting's list.</summary>
public sealed class InMemorySpeakerStore(IMeetingStore meetings, IFloorStore floor) : ISpeakerStore, IMeetingEviction
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Meeting> _lists = new(StringComparer.Ordinal);

    // A sync reads the floor, then applies it: one at a time, so an older read never lands after a newer one.
    private readonly SemaphoreSlim _sync = new(1, 1);

    public Task<SpeakersState> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        StateAsync(meetingId, _ => { }, cancellationToken);

    public async Task<(SpeakersChange Change, SpeakersState State)> EnqueueAsync(string meetingId, string participantId, long nowUnixMs, int maxQueue, CancellationToken cancellationToken = default)
    {
        var change = SpeakersChange.Unchanged;
        var state = await StateAsync(meetingId, list =>
        {
            if (list.Queue.Any(entry => entry.ParticipantId == participantId))
            {
                return;
            }

            if (list.Queue.Count >= maxQueue)
            {
                change = SpeakersChange.Full;
                return;
            }

            list.Queue.Add((participantId, nowUnixMs));
            list.Version++;
            change = SpeakersChange.Changed;
        }, cancellationToken);
        return (change, state);
    }

    public async Task<(SpeakersChange Change, SpeakersState State)> DequeueAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        var change = SpeakersChange.Unchanged;
        var state = await StateAsync(meetingId, list =>
        {
            if (list.Queue.RemoveAll(entry => entry.ParticipantId == participantId) > 0)
            {
                list.Version++;
                change = SpeakersChange.Changed;
            }
        }, cancellationToken);
        return (change, state);
    }

    public async Task<(SpeakerTaken? Taken, SpeakersState State)> TakeAsync(string meetingId, string? participantId, CancellationToken cancellationToken = default)
    {
        SpeakerTaken? taken = null;
        var state = await StateAsync(meetingId, list =>
        {
            if (participantId is null && list.Queue.Count == 0)
            {
                return;
            }

            var id = participantId ?? list.Queue[0].ParticipantId;
            var index = list.Queue.FindIndex(entry => entry.ParticipantId == id);
            long? asked = index >= 0 ? list.Queue[index].AskedAtUnixMs : null;
            if (index >= 0)
            {
                list.Queue.RemoveAt(index);
            }

            taken = new SpeakerTaken(id, asked, list.Current);
            list.Current = id;
            list.Version++;
        }, cancellationToken);
        return (taken, state);
    }

    public Task<SpeakersState> RestoreAsync(string meetingId, SpeakerTaken taken, CancellationToken cancellationToken = default) =>
        StateAsync(meetingId, list =>
        {
            if (taken.AskedAtUnixMs is { } asked)
            {
                list.Queue.RemoveAll(entry => entry.ParticipantId == taken.ParticipantId);
                list.Queue.Insert(0, (taken.ParticipantId, asked));
            }

            if (list.Current == taken.ParticipantId)
            {
                list.Current = taken.PreviousSpeakerId;
            }

            list.Version++;
        }, cancellationToken);

    public async Task<(SpeakersChange Change, SpeakersState State)> SyncTurnsAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            var holders = (await floor.GetAsync(meetingId, 1, cancellationToken)).Speakers.ToHashSet(StringComparer.Ordinal);
            var change = SpeakersChange.Unchanged;
            var state = await StateAsync(meetingId, list =>
            {
                foreach (var (participantId, since) in list.Speaking.Where(entry => !holders.Contains(entry.Key)).ToList())
                {
                    list.Totals[participantId] = list.Totals.GetValueOrDefault(participantId) + Math.Max(0, nowUnixMs - since);
                    list.Speaking.Remove(participantId);
                    change = SpeakersChange.Changed;
                }

                foreach (var participantId in holders.Where(holder => !list.Speaking.ContainsKey(holder)))
                {
                    list.Speaking[participantId] = nowUnixMs;
                    list.Totals.TryAdd(participantId, 0);
                    list.Turns[participantId] = list.Turns.GetValueOrDefault(participantId) + 1;
                    change = SpeakersChange.Changed;
                }

                if (change == SpeakersChange.Changed)
                {
                    list.Version++;
                }
            }, cancellationToken);
            return (change, state);
        }
        finally
        {
            _sync.Release();
        }
    }

    public Task<SpeakersState> TouchAsync(string meetingId, CancellationToken cancellationToken = default) =>
        StateAsync(meetingId, list => list.Version++, cancellationToken);

    public Task<SpeakersState> SetTimeLimitAsync(string meetingId, int seconds, CancellationToken cancellationToken = default) =>
        StateAsync(meetingId, list =>
        {
            if (list.TimeLimitSeconds != seconds)
            {
                list.TimeLimitSeconds = seconds;
                list.Version++;
            }
        }, cancellationToken);

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _lists.Remove(meetingId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Applies a change under the lock, then reads the names (outside it) as the participant store has them now.</summary>
    private async Task<SpeakersState> StateAsync(string meetingId, Action<Meeting> change, CancellationToken cancellationToken)
    {
        List<(string ParticipantId, long AskedAtUnixMs)> queue;
        List<(string ParticipantId, long TotalMs, int Turns, long? Since)> times;
        string? current;
        int limit;
        long version;
        lock (_gate)
        {
            if (!_lists.TryGetValue(meetingId, out var list))
            {
                list = new Meeting();
                _lists[meetingId] = list;
            }

            change(list);
            queue = [.. list.Queue];
            times = [.. list.Totals.Keys.Select(id => (id, list.Totals[id], list.Turns.GetValueOrDefault(id), list.Speaking.TryGetValue(id, out var since) ? since : (long?)null))];
            (current, limit, version) = (list.Current, list.TimeLimitSeconds, list.Version);
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in queue.Select(entry => entry.ParticipantId).Concat(times.Select(entry => entry.ParticipantId)).Distinct(StringComparer.Ordinal))
        {
            names[id] = (await meetings.GetParticipantAsync(meetingId, id, cancellationToken))?.DisplayName ?? string.Empty;
        }

        return new SpeakersState(
            [.. queue.Select(entry => new QueuedSpeakerView(entry.ParticipantId, names[entry.ParticipantId], entry.AskedAtUnixMs))],
            [.. times.OrderBy(entry => entry.ParticipantId, StringComparer.Ordinal).Select(entry => new SpeakingTimeView(entry.ParticipantId, names[entry.ParticipantId], entry.TotalMs, entry.Turns, entry.Since))],
            current,
            limit,
            version);
    }

    private sealed class Meeting
    {
        public List<(string ParticipantId, long AskedAtUnixMs)> Queue { get; } = [];

        public Dictionary<string, long> Totals { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Turns { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Speaking { get; } = new(StringComparer.Ordinal);

        public string? Current { get; set; }

        public int TimeLimitSeconds { get; set; }

        public long Version { get; set; }
    }
}
