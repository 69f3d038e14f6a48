using System.Collections.Concurrent;
using Collab.Conferencing.Model;

namespace Collab.Conferencing;

/// <summary>
/// The connections this node serves and the meeting session each one joined. This is per-node state by nature
/// (a connection lives on one node); everything shared lives in the stores.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session? Find(string connectionId) => _sessions.GetValueOrDefault(connectionId);

    /// <summary>The caller's session, or a not_joined refusal.</summary>
    public Session Require(string connectionId) =>
        Find(connectionId) ?? throw new ConferencingException(ConferencingError.NotJoined, "Join a meeting first: this connection has not joined one.");

    public void Add(Session session) => _sessions[session.ConnectionId] = session;

    public Session? Remove(string connectionId) => _sessions.TryRemove(connectionId, out var session) ? session : null;

    public bool HasConnection(string meetingId, string participantId) =>
        _sessions.Values.Any(session => session.MeetingId == meetingId && session.ParticipantId == participantId);

    /// <summary>One session per participant connected to this node (the newest connection wins).</summary>
    public IReadOnlyList<Session> Participants() =>
        [.. _sessions.Values.GroupBy(session => (session.MeetingId, session.ParticipantId)).Select(group => group.Last())];

    public IReadOnlyList<Session> InMeeting(string meetingId) => [.. _sessions.Values.Where(session => session.MeetingId == meetingId)];

    public int Count => _sessions.Count;
}
