using System.Collections.Concurrent;
using Collab.Conferencing.Lobby;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>
/// The rules every hub call passes before it reaches a service (the hub filter applies them from the method's
/// attributes): an ended meeting accepts nothing but reads, and a participant id named by a call must belong to the
/// caller's meeting. Answers that can never change are kept in this node's memory (an ended meeting never reopens, a
/// participant never changes meeting); "still open" is read from the store on every mutating call, audio included,
/// so a meeting ended on one node refuses the next call on every node. A removed participant is no longer one of the
/// meeting's: its removal reaches every node (<see cref="MarkRemoved"/>), and a store read checks it too.
/// </summary>
public sealed class MeetingGuard(IMeetingStore meetings, ILobbyStore lobby)
{
    // Both caches are bounded: when one is full it starts again (a miss costs one store read).
    private const int MaxCached = 50_000;

    private readonly ConcurrentDictionary<string, byte> _ended = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string MeetingId, string ParticipantId), byte> _members = new();
    private readonly ConcurrentDictionary<(string MeetingId, string ParticipantId), byte> _removed = new();

    /// <summary>The conflict refusal for a meeting this node already knows has ended, without a store read (the store step checks the rest).</summary>
    public void EnsureNotKnownEnded(Session session)
    {
        if (_ended.ContainsKey(session.MeetingId))
        {
            throw Ended();
        }
    }

    /// <summary>A conflict refusal when the caller's meeting has ended (or is gone).</summary>
    public async ValueTask EnsureOpenAsync(Session session, CancellationToken cancellationToken = default)
    {
        if (_ended.ContainsKey(session.MeetingId))
        {
            throw Ended();
        }

        var meeting = await meetings.GetAsync(session.MeetingId, cancellationToken);
        if (meeting is null || meeting.HasEnded)
        {
            MarkEnded(session.MeetingId);
            throw Ended();
        }
    }

    /// <summary>The meeting ended (seen here or told by a store read): later calls are refused without a store read.</summary>
    public void MarkEnded(string meetingId)
    {
        if (_ended.Count >= MaxCached)
        {
            _ended.Clear();
        }

        _ended[meetingId] = 0;
    }

    /// <summary>An invalid_input refusal for a malformed id, not_found for one that is not a participant of the caller's meeting.</summary>
    public async ValueTask EnsureParticipantAsync(Session session, string? participantId, string field, CancellationToken cancellationToken = default)
    {
        var id = Inputs.Id(participantId, field);
        if (_members.ContainsKey((session.MeetingId, id)) && !_removed.ContainsKey((session.MeetingId, id)))
        {
            return;
        }

        if (_removed.ContainsKey((session.MeetingId, id))
            || await meetings.GetParticipantAsync(session.MeetingId, id, cancellationToken) is null
            || await lobby.GetExclusionAsync(session.MeetingId, id, cancellationToken) is not null)
        {
            throw ConferencingException.NotFound($"No participant '{id}' in this meeting.");
        }

        if (_members.Count >= MaxCached)
        {
            _members.Clear();
        }

        _members[(session.MeetingId, id)] = 0;
    }

    /// <summary>The participant was removed (here or on another node): it is no longer a participant of the meeting.</summary>
    public void MarkRemoved(string meetingId, string participantId)
    {
        if (_removed.Count >= MaxCached)
        {
            _removed.Clear();
        }

        _removed[(meetingId, participantId)] = 0;
        _members.TryRemove((meetingId, participantId), out _);
    }

    /// <summary>The participant changed (here or on another node): its cached membership is read again from the store on the next check.</summary>
    public void Forget(string meetingId, string participantId) => _members.TryRemove((meetingId, participantId), out _);

    private static ConferencingException Ended() => ConferencingException.Conflict("This meeting has ended.");
}
