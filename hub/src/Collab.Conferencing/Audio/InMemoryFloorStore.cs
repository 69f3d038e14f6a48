namespace Collab.Conferencing.Audio;

/// <summary>Floor state of a single node, one lock per store (floor changes are rare).</summary>
public sealed class InMemoryFloorStore : IFloorStore, Meetings.IMeetingEviction
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, State> _meetings = new(StringComparer.Ordinal);

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _meetings.Remove(meetingId);
            foreach (var scope in _meetings.Keys.Where(key => Rooms.RoomScopes.Parse(key).MeetingId == meetingId).ToList())
            {
                _meetings.Remove(scope); // the meeting's discussion rooms
            }
        }

        return Task.CompletedTask;
    }

    public Task<FloorView> GetAsync(string meetingId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(meetingId, defaultMaxSpeakers, _ => { }));

    public Task<(FloorRequestOutcome Outcome, FloorView Floor)> RequestAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default)
    {
        var outcome = FloorRequestOutcome.Granted;
        var view = Update(meetingId, defaultMaxSpeakers, state =>
        {
            if (state.Muted.Contains(participantId))
            {
                outcome = FloorRequestOutcome.Muted;
            }
            else if (state.Speakers.Contains(participantId))
            {
                outcome = FloorRequestOutcome.Granted;
            }
            else if (state.Mode == FloorMode.Moderated)
            {
                state.Requests.Add(participantId);
                outcome = FloorRequestOutcome.Requested;
            }
            else if (state.Speakers.Count >= state.MaxSpeakers)
            {
                outcome = FloorRequestOutcome.Full;
            }
            else
            {
                state.Speakers.Add(participantId);
            }
        });
        return Task.FromResult((outcome, view));
    }

    public Task<(FloorRequestOutcome Outcome, FloorView Floor)> GrantAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default)
    {
        var outcome = FloorRequestOutcome.Granted;
        var view = Update(meetingId, defaultMaxSpeakers, state =>
        {
            if (state.Muted.Contains(participantId))
            {
                outcome = FloorRequestOutcome.Muted;
            }
            else if (!state.Speakers.Contains(participantId) && state.Speakers.Count >= state.MaxSpeakers)
            {
                outcome = FloorRequestOutcome.Full;
            }
            else
            {
                state.Speakers.Add(participantId);
                state.Requests.Remove(participantId);
            }
        });
        return Task.FromResult((outcome, view));
    }

    public Task<FloorView> ReleaseAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(meetingId, defaultMaxSpeakers, state =>
        {
            state.Speakers.Remove(participantId);
            state.Requests.Remove(participantId);
        }));

    public Task<FloorView> SetMutedAsync(string meetingId, string participantId, bool muted, int defaultMaxSpeakers, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(meetingId, defaultMaxSpeakers, state =>
        {
            if (muted)
            {
                state.Muted.Add(participantId);
                state.Speakers.Remove(participantId);
            }
            else
            {
                state.Muted.Remove(participantId);
            }
        }));

    public Task<FloorView> SetModeAsync(string meetingId, FloorMode mode, int maxSpeakers, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(meetingId, maxSpeakers, state =>
        {
            state.Mode = mode;
            state.MaxSpeakers = maxSpeakers;
        }));

    private FloorView Update(string meetingId, int defaultMaxSpeakers, Action<State> change)
    {
        lock (_gate)
        {
            if (!_meetings.TryGetValue(meetingId, out var state))
            {
                state = new State { MaxSpeakers = defaultMaxSpeakers };
                _meetings[meetingId] = state;
            }

            change(state);
            return new FloorView(state.Mode, state.MaxSpeakers, [.. state.Speakers.Order(StringComparer.Ordinal)], [.. state.Requests.Order(StringComparer.Ordinal)], [.. state.Muted.Order(StringComparer.Ordinal)]);
        }
    }

    private sealed class State
    {
        public FloorMode Mode { get; set; } = FloorMode.OpenMic;

        public int MaxSpeakers { get; set; }

        public HashSet<string> Speakers { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Requests { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Muted { get; } = new(StringComparer.Ordinal);
    }
}
