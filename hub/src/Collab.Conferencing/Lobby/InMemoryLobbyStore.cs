
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Lobby;

/// <summary>Lobbies in this process (the single-node default); one lock makes every change atomic.</summary>
public sealed class InMemoryLobbyStore : ILobbyStore, IMeetingEviction
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _lobbies = new(StringComparer.Ordinal);
    private readonly Dictionary<(string MeetingId, string ParticipantId), Exclusion> _excluded = [];

    public Task<LobbyState> GetAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_lobbies.TryGetValue(meetingId, out var entry) ? entry.State() : LobbyState.Empty);
        }
    }

    public Task<LobbyState> SetAsync(string meetingId, bool? enabled, bool? locked, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entry = EntryOf(meetingId);
            entry.Enabled = enabled ?? entry.Enabled;
            entry.Locked = locked ?? entry.Locked;
            entry.Version++;
            return Task.FromResult(entry.State());
        }
    }

    public Task<LobbyState?> AddWaiterAsync(string meetingId, Waiter waiter, int maxWaiting, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entry = EntryOf(meetingId);
            var at = entry.Waiting.FindIndex(w => w.Id == waiter.Id);
            if (at >= 0)
            {
                entry.Waiting[at] = waiter with { SinceUnixMs = entry.Waiting[at].SinceUnixMs };
            }
            else if (entry.Waiting.Count >= maxWaiting)
            {
                return Task.FromResult<LobbyState?>(null);
            }
            else
            {
                entry.Waiting.Add(waiter);
            }

            entry.Version++;
            return Task.FromResult<LobbyState?>(entry.State());
        }
    }

    public Task<(Waiter? Taken, LobbyState State)> TakeWaiterAsync(string meetingId, string waiterId, string? connectionId, Exclusion? exclude, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entry = EntryOf(meetingId);
            var at = entry.Waiting.FindIndex(w => w.Id == waiterId && (connectionId is null || w.ConnectionId == connectionId));
            if (at < 0)
            {
                return Task.FromResult<(Waiter?, LobbyState)>((null, entry.State()));
            }

            var taken = entry.Waiting[at];
            entry.Waiting.RemoveAt(at);
            entry.Version++;
            if (exclude is { } exclusion)
            {
                _excluded[(meetingId, waiterId)] = exclusion;
            }

            return Task.FromResult<(Waiter?, LobbyState)>((taken, entry.State()));
        }
    }

    public Task ExcludeAsync(string meetingId, string participantId, Exclusion exclusion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _excluded[(meetingId, participantId)] = exclusion;
        }

        return Task.CompletedTask;
    }

    public Task<Exclusion?> GetExclusionAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<Exclusion?>(_excluded.TryGetValue((meetingId, participantId), out var exclusion) ? exclusion : null);
        }
    }

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _lobbies.Remove(meetingId);
            foreach (var key in _excluded.Keys.Where(key => key.MeetingId == meetingId).ToList())
            {
                _excluded.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    private Entry EntryOf(string meetingId)
    {
        if (!_lobbies.TryGetValue(meetingId, out var entry))
        {
            entry = new Entry();
            _lobbies[meetingId] = entry;
        }

        return entry;
    }

    private sealed class Entry
    {
        public bool Enabled { get; set; }

        public bool Locked { get; set; }

        public long Version { get; set; }

        public List<Waiter> Waiting { get; } = [];

        public LobbyState State() => new(Enabled, Locked, [.. Waiting.OrderBy(w => w.SinceUnixMs).ThenBy(w => w.Id, StringComparer.Ordinal)], Version);
    }
}
