
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>Meetings and their participants' identities. Implementations: in memory, Redis.</summary>
public interface IMeetingStore
{
    /// <summary>Stores a new meeting; false when the id is taken.</summary>
    Task<bool> CreateAsync(Meeting meeting, CancellationToken cancellationToken = default);

    Task<Meeting?> GetAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Marks the meeting ended; returns the meeting as stored afterwards, or null when unknown.</summary>
    Task<Meeting?> EndAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default);

    Task SaveParticipantAsync(Participant participant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a stored participant atomically (a name, a role, or both; null leaves it as it is), so a rename on one
    /// node and a promotion on another never undo each other. The participant as stored afterwards, or null when unknown.
    /// </summary>
    Task<Participant?> UpdateParticipantAsync(string meetingId, string participantId, string? displayName, ParticipantRole? role, CancellationToken cancellationToken = default);

    Task<Participant?> GetParticipantAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);
}
