using Collab.Conferencing.Model;

namespace Collab.Conferencing;

/// <summary>
/// The connections this node serves and the meeting session each one joined. This is per-node state by nature
/// (a connection lives on one node); everything shared lives in the stores.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string MeetingId, string ParticipantId), int> _connectionsPerParticipant = [];

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
            _connectionsPerParticipant[key] = _connectionsPerParticipant.GetValueOrDefault(key) + 1;
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

    /// <summary>One session per participant connected to this node (any one of its connections).</summary>
    public IReadOnlyList<Session> Participants()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.DistinctBy(session => (session.MeetingId, session.ParticipantId))];
        }
    }

    private Session? RemoveCore(string connectionId)
    {
        if (!_sessions.Remove(connectionId, out var session))
        {
            return null;
        }

        var key = (session.MeetingId, session.ParticipantId);
        var remaining = _connectionsPerParticipant.GetValueOrDefault(key) - 1;
        if (remaining > 0)
        {
            _connectionsPerParticipant[key] = remaining;
        }
        else
        {
            _connectionsPerParticipant.Remove(key);
        }

        return session;
    }
}
