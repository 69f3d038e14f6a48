
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing;

/// <summary>
/// The connections this node serves and the meeting session each one joined. This is per-node state by nature
/// (a connection lives on one node); everything shared lives in the stores.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string MeetingId, string ParticipantId), (Session Any, int Count)> _connectionsPerParticipant = [];

    public Session? Find(string connectionId)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(connectionId);
        }
    }

    /// <summary>The caller's session, or a not_joined refusal.</summary>
    public Session Require(string connectionId) =>
        Find(connectionId) ?? throw new ConferencingException(ConferencingError.NotJoined, "Join a meeting first: this connection has not joined one.");

    public void Add(Session session)
    {
        lock (_gate)
        {
            RemoveCore(session.ConnectionId);
            _sessions[session.ConnectionId] = session;
            var key = (session.MeetingId, session.ParticipantId);
            _connectionsPerParticipant[key] = _connectionsPerParticipant.TryGetValue(key, out var current) ? (current.Any, current.Count + 1) : (session, 1);
        }
    }

    /// <summary>Replaces a connection's session (it moved to another room); false when the connection is not here (any more).</summary>
    public bool Replace(Session session)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(session.ConnectionId, out var current) || current.MeetingId != session.MeetingId || current.ParticipantId != session.ParticipantId)
            {
                return false;
            }

            _sessions[session.ConnectionId] = session;
            var key = (session.MeetingId, session.ParticipantId);
            var (any, count) = _connectionsPerParticipant[key];
            if (any.ConnectionId == session.ConnectionId)
            {
                _connectionsPerParticipant[key] = (session, count);
            }

            return true;
        }
    }

    public Session? Remove(string connectionId)
    {
        lock (_gate)
        {
            return RemoveCore(connectionId);
        }
    }

    public bool HasConnection(string meetingId, string participantId)
    {
        lock (_gate)
        {
            return _connectionsPerParticipant.ContainsKey((meetingId, participantId));
        }
    }

    /// <summary>One of the participant's sessions on this node (they differ only in connection id), or null when it has none.</summary>
    public Session? AnyConnectionOf(string meetingId, string participantId)
    {
        lock (_gate)
        {
            return _connectionsPerParticipant.TryGetValue((meetingId, participantId), out var entry) ? entry.Any : null;
        }
    }

    /// <summary>Every session of the participant on this node (one per connection).</summary>
    public IReadOnlyList<Session> ConnectionsOf(string meetingId, string participantId)
    {
        lock (_gate)
        {
            return _connectionsPerParticipant.ContainsKey((meetingId, participantId))
                ? [.. _sessions.Values.Where(s => s.MeetingId == meetingId && s.ParticipantId == participantId)]
                : [];
        }
    }

    /// <summary>
    /// Replaces every session of the participant on this node (a new name or role: the next call sees it, no reconnect);
    /// returns each as it was and as it is now.
    /// </summary>
    public IReadOnlyList<(Session Before, Session After)> Update(string meetingId, string participantId, Func<Session, Session> change)
    {
        lock (_gate)
        {
            var key = (meetingId, participantId);
            if (!_connectionsPerParticipant.TryGetValue(key, out var entry))
            {
                return [];
            }

            var changed = _sessions.Values.Where(s => s.MeetingId == meetingId && s.ParticipantId == participantId).Select(s => (Before: s, After: change(s))).ToList();
            foreach (var (_, after) in changed)
            {
                _sessions[after.ConnectionId] = after;
            }

            _connectionsPerParticipant[key] = (changed.First(c => c.After.ConnectionId == entry.Any.ConnectionId).After, entry.Count);
            return changed;
        }
    }

    /// <summary>How many participants have at least one connection on this node.</summary>
    public int ParticipantCount
    {
        get
        {
            lock (_gate)
            {
                return _connectionsPerParticipant.Count;
            }
        }
    }

    /// <summary>One session per participant connected to this node (any one of its connections).</summary>
    public IReadOnlyList<Session> Participants()
    {
        lock (_gate)
        {
            return [.. _connectionsPerParticipant.Values.Select(entry => entry.Any)];
        }
    }

    private Session? RemoveCore(string connectionId)
    {
        if (!_sessions.Remove(connectionId, out var session))
        {
            return null;
        }

        var key = (session.MeetingId, session.ParticipantId);
        var (any, count) = _connectionsPerParticipant[key];
        if (count > 1)
        {
            // Another connection of the participant stays; it may be the one kept as "any".
            var other = any.ConnectionId == connectionId ? _sessions.Values.First(s => s.MeetingId == session.MeetingId && s.ParticipantId == session.ParticipantId) : any;
            _connectionsPerParticipant[key] = (other, count - 1);
        }
        else
        {
            _connectionsPerParticipant.Remove(key);
        }

        return session;
    }
}
