
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Presence;

/// <summary>Presence in this process, by node lease with the same rules as the shared store (one lock over all of it).</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Entry>> _meetings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string MeetingId, string ParticipantId)>> _nodes = new(StringComparer.Ordinal);

    public Task AcquireLeaseAsync(string nodeId, long expiresAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_claims.ContainsKey(nodeId))
            {
                _leases.TryAdd(nodeId, expiresAtUnixMs);
            }
        }

        return Task.CompletedTask;
    }

    public Task<LeaseHeartbeat> HeartbeatAsync(string nodeId, long nowUnixMs, long expiresAtUnixMs, long claimUntilUnixMs, int maxClaims, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var held = Live(nodeId, nowUnixMs);
            if (held)
            {
                _leases[nodeId] = expiresAtUnixMs;
            }

            var claimed = new List<string>();
            foreach (var lapsed in _leases.Where(pair => pair.Value <= nowUnixMs).OrderBy(pair => pair.Value).Take(maxClaims).Select(pair => pair.Key).ToList())
            {
                _leases.Remove(lapsed);
                _claims[lapsed] = claimUntilUnixMs;
                claimed.Add(lapsed);
            }

            foreach (var stale in _claims.Where(pair => pair.Value <= nowUnixMs && !claimed.Contains(pair.Key)).OrderBy(pair => pair.Value).Take(maxClaims - claimed.Count).Select(pair => pair.Key).ToList())
            {
                _claims[stale] = claimUntilUnixMs;
                claimed.Add(stale);
            }

            return Task.FromResult(new LeaseHeartbeat(held, _nodes.GetValueOrDefault(nodeId)?.Count ?? 0, claimed));
        }
    }

    public Task<PresenceChange> ArriveAsync(string meetingId, string nodeId, ParticipantView participant, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!Live(nodeId, nowUnixMs))
            {
                return Task.FromResult(PresenceChange.LeaseLost);
            }

            if (!_nodes.TryGetValue(nodeId, out var records))
            {
                _nodes[nodeId] = records = [];
            }

            records.Add((meetingId, participant.ParticipantId));
            if (!_meetings.TryGetValue(meetingId, out var entries))
            {
                _meetings[meetingId] = entries = new(StringComparer.Ordinal);
            }

            if (entries.TryGetValue(participant.ParticipantId, out var current))
            {
                current.View = participant with { HandRaised = current.View.HandRaised };
                current.AddNode(nodeId);
                return Task.FromResult(PresenceChange.None);
            }

            entries[participant.ParticipantId] = new Entry(participant with { HandRaised = false }, nodeId);
            return Task.FromResult(PresenceChange.Joined);
        }
    }

    public Task<PresenceChange> DepartAsync(string meetingId, string nodeId, string participantId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(nodeId, out var records))
            {
                records.Remove((meetingId, participantId));
            }

            return Task.FromResult(Release(meetingId, participantId, nodeId, nowUnixMs));
        }
    }

    public Task<NodeSweep> SweepNodeAsync(string nodeId, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var left = new List<(string, string)>();
            if (_nodes.TryGetValue(nodeId, out var records))
            {
                foreach (var record in records.Take(max).ToList())
                {
                    records.Remove(record);
                    if (Release(record.MeetingId, record.ParticipantId, nodeId, nowUnixMs: null) == PresenceChange.Left)
                    {
                        left.Add(record);
                    }
                }

                if (records.Count > 0)
                {
                    return Task.FromResult(new NodeSweep(left, Done: false));
                }

                _nodes.Remove(nodeId);
            }

            _claims.Remove(nodeId);
            return Task.FromResult(new NodeSweep(left, Done: true));
        }
    }

    public Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> NodeParticipantsAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<(string, string)> records = _nodes.TryGetValue(nodeId, out var set) ? [.. set] : [];
            return Task.FromResult(records);
        }
    }

    public Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_meetings.TryGetValue(meetingId, out var entries) || !entries.TryGetValue(participantId, out var current))
            {
                return Task.FromResult<ParticipantView?>(null);
            }

            current.View = current.View with { HandRaised = raised };
            return Task.FromResult<ParticipantView?>(current.View);
        }
    }

    public Task<ParticipantView?> UpdateAsync(string meetingId, string participantId, string displayName, ParticipantRole role, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_meetings.TryGetValue(meetingId, out var entries) || !entries.TryGetValue(participantId, out var current))
            {
                return Task.FromResult<ParticipantView?>(null);
            }

            current.View = current.View with { DisplayName = displayName, Role = role };
            return Task.FromResult<ParticipantView?>(current.View);
        }
    }

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ParticipantView> present = !_meetings.TryGetValue(meetingId, out var entries) ? [] : [.. entries.Values
                .Where(entry => entry.HeldBy(node => Live(node, nowUnixMs)))
                .Select(entry => entry.View)
                .OrderBy(view => view.DisplayName, StringComparer.Ordinal)
                .ThenBy(view => view.ParticipantId, StringComparer.Ordinal)];
            return Task.FromResult(present);
        }
    }

    public Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_meetings.TryGetValue(meetingId, out var entries) ? entries.Count : 0);
        }
    }

    /// <summary>Drops <paramref name="nodeId"/> (and, given a time, holders whose leases lapsed) from the entry; Left when none holds it.</summary>
    private PresenceChange Release(string meetingId, string participantId, string nodeId, long? nowUnixMs)
    {
        if (!_meetings.TryGetValue(meetingId, out var entries) || !entries.TryGetValue(participantId, out var entry) || !entry.RemoveNode(nodeId))
        {
            return PresenceChange.None;
        }

        if (nowUnixMs is { } now)
        {
            entry.RemoveNodes(node => !Live(node, now));
        }

        if (entry.NodeCount > 0)
        {
            return PresenceChange.None;
        }

        entries.Remove(participantId);
        if (entries.Count == 0)
        {
            _meetings.Remove(meetingId);
        }

        return PresenceChange.Left;
    }

    private bool Live(string nodeId, long nowUnixMs) => _leases.TryGetValue(nodeId, out var expiresAt) && expiresAt > nowUnixMs;

    /// <summary>
    /// A participant's presence and the nodes holding it: nearly always one, so an array rather than a set (a set and its
    /// buckets were about 136 bytes of every participant). Changed only under the store's lock.
    /// </summary>
    private sealed class Entry(ParticipantView view, string nodeId)
    {
        private string[] _nodes = [nodeId];

        public ParticipantView View { get; set; } = view;

        public int NodeCount => _nodes.Length;

        public bool HeldBy(Func<string, bool> live) => _nodes.Any(live);

        public void AddNode(string nodeId)
        {
            if (!_nodes.Contains(nodeId, StringComparer.Ordinal))
            {
                _nodes = [.. _nodes, nodeId];
            }
        }

        public bool RemoveNode(string nodeId)
        {
            if (!_nodes.Contains(nodeId, StringComparer.Ordinal))
            {
                return false;
            }

            _nodes = [.. _nodes.Where(node => !string.Equals(node, nodeId, StringComparison.Ordinal))];
            return true;
        }

        public void RemoveNodes(Func<string, bool> lapsed)
        {
            if (_nodes.Any(lapsed))
            {
                _nodes = [.. _nodes.Where(node => !lapsed(node))];
            }
        }
    }
}
