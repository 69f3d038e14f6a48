namespace Collab.Conferencing.Lobby;

/// <summary>
/// The connections of this node that wait in a lobby, and for whom (per-node state by nature, like
/// <see cref="ConnectionRegistry"/>). A waiting connection has no session: the hub filter refuses it every meeting
/// method but the few a waiter needs.
/// </summary>
public sealed class WaitingRoom
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string MeetingId, string WaiterId)> _waiting = new(StringComparer.Ordinal);

    public bool IsWaiting(string connectionId)
    {
        lock (_gate)
        {
            return _waiting.ContainsKey(connectionId);
        }
    }

    /// <summary>Records the connection as waiting; returns what it waited as before, if anything.</summary>
    public (string MeetingId, string WaiterId)? Add(string connectionId, string meetingId, string waiterId)
    {
        lock (_gate)
        {
            (string, string)? previous = _waiting.TryGetValue(connectionId, out var entry) ? entry : null;
            _waiting[connectionId] = (meetingId, waiterId);
            return previous;
        }
    }

    public (string MeetingId, string WaiterId)? Remove(string connectionId)
    {
        lock (_gate)
        {
            return _waiting.Remove(connectionId, out var entry) ? entry : null;
        }
    }
}
