using System.Security.Cryptography;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Voice;

namespace Collab.Hub.Voice;

/// <summary>
/// The voice datagram sessions of this node's connections, by connection and by session id. <c>OpenVoiceChannel</c>
/// makes one (a second call replaces it: new id and key, the old one dead); a connection that leaves its meeting or
/// disconnects loses it, through the same membership path as its listener and floor (<see cref="IMembershipObserver"/>).
/// </summary>
internal sealed partial class VoiceDatagramSessions(IMediaEdge edge, ILogger<VoiceDatagramSessions> logger) : IMembershipObserver, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, VoiceDatagramSession> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, VoiceDatagramSession> _byId = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byConnection.Count;
            }
        }
    }

    /// <summary>A new session for the connection, with a random id and key; the connection's previous one, if any, is dropped (and told to the edge).</summary>
    public async Task<VoiceDatagramSession> OpenAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        byte[]? previous;
        VoiceDatagramSession session;
        lock (_gate)
        {
            byte[] id;
            do
            {
                id = RandomNumberGenerator.GetBytes(VoiceDatagram.SessionIdBytes);
            }
            while (_byId.ContainsKey(VoiceDatagram.ReadSessionId(id)));

            session = new VoiceDatagramSession(connectionId, id, RandomNumberGenerator.GetBytes(VoiceDatagram.KeyBytes));
            previous = RemoveCore(connectionId);
            _byConnection[connectionId] = session;
            _byId[session.Id] = session;
        }

        await TellEdgeAsync(connectionId, previous, cancellationToken);
        return session;
    }

    public VoiceDatagramSession? Find(string connectionId)
    {
        lock (_gate)
        {
            return _byConnection.GetValueOrDefault(connectionId);
        }
    }

    public VoiceDatagramSession? Find(ulong sessionId)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(sessionId);
        }
    }

    /// <summary>Sessions per path now (live ones on the unreliable path, the others on SignalR), for the sessions gauge.</summary>
    public (int Unreliable, int SignalR) CountByPath(long now, long liveness, long overlap)
    {
        lock (_gate)
        {
            var live = _byConnection.Values.Count(session => session.Route(now, liveness, overlap) != VoiceRoute.SignalR);
            return (live, _byConnection.Count - live);
        }
    }

    public Task JoinedAsync(Session session, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The connection left its meeting or is gone: its voice session dies with it.</summary>
    public Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default)
    {
        byte[]? removed;
        lock (_gate)
        {
            removed = RemoveCore(session.ConnectionId);
        }

        return TellEdgeAsync(session.ConnectionId, removed, cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var session in _byConnection.Values)
            {
                session.Dispose();
            }

            _byConnection.Clear();
            _byId.Clear();
        }
    }

    /// <summary>Drops and disposes the connection's session; returns its id (null when it had none).</summary>
    private byte[]? RemoveCore(string connectionId)
    {
        if (!_byConnection.Remove(connectionId, out var session))
        {
            return null;
        }

        _byId.Remove(session.Id);
        session.Dispose();
        return session.IdBytes;
    }

    /// <summary>Tells the media edge a session is gone (best effort: the edge may not run, or hold no such session).</summary>
    private async Task TellEdgeAsync(string connectionId, byte[]? sessionId, CancellationToken cancellationToken)
    {
        if (sessionId is null || edge.Unavailable is not null)
        {
            return;
        }

        try
        {
            await edge.CloseAsync(sessionId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            VoiceLog.EdgeCloseFailed(logger, connectionId, exception);
        }
    }
}
