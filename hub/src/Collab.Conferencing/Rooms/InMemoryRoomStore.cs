
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Rooms;

/// <summary>Rooms of a single node, under one lock.</summary>
public sealed class InMemoryRoomStore : IRoomStore, IMeetingEviction
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, State> _meetings = new(StringComparer.Ordinal);
    private readonly SortedSet<(long DueAt, string MeetingId, string RoomId)> _due = [];

    public Task<RoomsState> GetAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Snapshot(meetingId));
        }
    }

    public Task<string?> LocateAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_meetings.TryGetValue(meetingId, out var state) && state.Where.TryGetValue(participantId, out var place) ? place.RoomId : null);
        }
    }

    public Task<IReadOnlyList<RoomRecord>?> CreateAsync(string meetingId, IReadOnlyList<RoomDraft> drafts, int maxOpenRooms, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = StateOf(meetingId);
            if (state.Rooms.Count(room => !room.Closed) + drafts.Count > maxOpenRooms)
            {
                return Task.FromResult<IReadOnlyList<RoomRecord>?>(null);
            }

            var created = new List<RoomRecord>();
            foreach (var draft in drafts)
            {
                var room = new RoomRecord($"r{++state.Sequence}", draft.Name, draft.Open, draft.CreatedBy, draft.CreatedAtUnixMs, draft.ClosesAtUnixMs, null, [.. draft.Assigned.Select(member => member.ParticipantId)]);
                state.Rooms.Add(room);
                created.Add(room);
                foreach (var member in draft.Assigned)
                {
                    state.Where[member.ParticipantId] = new RoomPlace(room.RoomId, member.DisplayName);
                }

                if (draft.ClosesAtUnixMs is { } dueAt)
                {
                    _due.Add((dueAt, meetingId, room.RoomId));
                }
            }

            state.Version++;
            return Task.FromResult<IReadOnlyList<RoomRecord>?>(created);
        }
    }

    public Task<RoomMoveResult> MoveAsync(string meetingId, string participantId, string displayName, string? roomId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = StateOf(meetingId);
            var previous = state.Where.TryGetValue(participantId, out var place) ? place.RoomId : null;
            if (roomId is not null)
            {
                var room = state.Rooms.FirstOrDefault(r => r.RoomId == roomId);
                if (room is null)
                {
                    return Task.FromResult(new RoomMoveResult(RoomMoveOutcome.NoSuchRoom, previous));
                }

                if (room.Closed)
                {
                    return Task.FromResult(new RoomMoveResult(RoomMoveOutcome.RoomClosed, previous));
                }
            }

            if (previous == roomId)
            {
                return Task.FromResult(new RoomMoveResult(RoomMoveOutcome.Unchanged, previous));
            }

            if (roomId is null)
            {
                state.Where.Remove(participantId);
            }
            else
            {
                state.Where[participantId] = new RoomPlace(roomId, displayName);
            }

            state.Version++;
            return Task.FromResult(new RoomMoveResult(RoomMoveOutcome.Moved, previous));
        }
    }

    public Task<RoomCloseResult?> CloseAsync(string meetingId, string roomId, long closedAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = StateOf(meetingId);
            var index = state.Rooms.FindIndex(room => room.RoomId == roomId);
            if (index < 0)
            {
                return Task.FromResult<RoomCloseResult?>(null);
            }

            var room = state.Rooms[index];
            if (room.Closed)
            {
                return Task.FromResult<RoomCloseResult?>(new RoomCloseResult(room, [], AlreadyClosed: true));
            }

            room = room with { ClosedAtUnixMs = closedAtUnixMs };
            state.Rooms[index] = room;
            var returned = state.Where.Where(entry => entry.Value.RoomId == roomId).Select(entry => entry.Key).ToArray();
            foreach (var participantId in returned)
            {
                state.Where.Remove(participantId);
            }

            _due.RemoveWhere(entry => entry.MeetingId == meetingId && entry.RoomId == roomId);
            state.Version++;
            return Task.FromResult<RoomCloseResult?>(new RoomCloseResult(room, returned, AlreadyClosed: false));
        }
    }

    public Task<RoomsState> SetSettingsAsync(string meetingId, RoomSettings settings, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var state = StateOf(meetingId);
            state.Settings = settings;
            state.Version++;
            return Task.FromResult(Snapshot(meetingId));
        }
    }

    public Task<IReadOnlyList<DueRoom>> TakeDueAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var due = _due.TakeWhile(entry => entry.DueAt <= nowUnixMs).Take(max).ToList();
            foreach (var entry in due)
            {
                _due.Remove(entry);
            }

            return Task.FromResult<IReadOnlyList<DueRoom>>([.. due.Select(entry => new DueRoom(entry.MeetingId, entry.RoomId))]);
        }
    }

    /// <summary>Nothing to do here: the in-memory eviction drops the meeting after its retention.</summary>
    public Task ExpireAsync(string meetingId, TimeSpan retention, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _meetings.Remove(meetingId);
            _due.RemoveWhere(entry => entry.MeetingId == meetingId);
        }

        return Task.CompletedTask;
    }

    private State StateOf(string meetingId)
    {
        if (!_meetings.TryGetValue(meetingId, out var state))
        {
            state = new State();
            _meetings[meetingId] = state;
        }

        return state;
    }

    private RoomsState Snapshot(string meetingId) => _meetings.TryGetValue(meetingId, out var state)
        ? new RoomsState(state.Settings, state.Version, [.. state.Rooms], new Dictionary<string, RoomPlace>(state.Where, StringComparer.Ordinal))
        : RoomsState.Empty;

    private sealed class State
    {
        public RoomSettings Settings { get; set; } = new(false);

        public long Version { get; set; }

        public long Sequence { get; set; }

        public List<RoomRecord> Rooms { get; } = [];

        public Dictionary<string, RoomPlace> Where { get; } = new(StringComparer.Ordinal);
    }
}
