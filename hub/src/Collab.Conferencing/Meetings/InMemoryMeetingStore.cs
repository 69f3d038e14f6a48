using System.Collections.Concurrent;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>Meetings and participants in this process (the single-node default).</summary>
public sealed class InMemoryMeetingStore : IMeetingStore, IMeetingEviction
{
    private readonly ConcurrentDictionary<string, Meeting> _meetings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string MeetingId, string ParticipantId), Participant> _participants = new();

    public Task<bool> CreateAsync(Meeting meeting, CancellationToken cancellationToken = default) =>
        Task.FromResult(_meetings.TryAdd(meeting.Id, meeting));

    public Task<Meeting?> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_meetings.GetValueOrDefault(meetingId));

    public Task<Meeting?> EndAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default)
    {
        while (_meetings.TryGetValue(meetingId, out var meeting))
        {
            if (meeting.HasEnded)
            {
                return Task.FromResult<Meeting?>(meeting);
            }

            var ended = meeting with { EndedAtUnixMs = endedAtUnixMs };
            if (_meetings.TryUpdate(meetingId, ended, meeting))
            {
                return Task.FromResult<Meeting?>(ended);
            }
        }

        return Task.FromResult<Meeting?>(null);
    }

    public Task SaveParticipantAsync(Participant participant, CancellationToken cancellationToken = default)
    {
        _participants[(participant.MeetingId, participant.Id)] = participant;
        return Task.CompletedTask;
    }

    public Task<Participant?> UpdateParticipantAsync(string meetingId, string participantId, string? displayName, ParticipantRole? role, CancellationToken cancellationToken = default)
    {
        while (_participants.TryGetValue((meetingId, participantId), out var current))
        {
            var updated = current with
            {
                DisplayName = displayName ?? current.DisplayName,
                Role = role ?? current.Role,
                Promoted = role is { } changed ? changed == ParticipantRole.Moderator && (current.Promoted || current.Role != ParticipantRole.Moderator) : current.Promoted,
            };
            if (_participants.TryUpdate((meetingId, participantId), updated, current))
            {
                return Task.FromResult<Participant?>(updated);
            }
        }

        return Task.FromResult<Participant?>(null);
    }

    public Task<Participant?> GetParticipantAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_participants.GetValueOrDefault((meetingId, participantId)));

    public Task EvictAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        _meetings.TryRemove(meetingId, out _);
        foreach (var key in _participants.Keys.Where(key => key.MeetingId == meetingId).ToList())
        {
            _participants.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
