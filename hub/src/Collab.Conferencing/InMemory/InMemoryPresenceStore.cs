using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;

namespace Collab.Conferencing.InMemory;

/// <summary>Presence in this process, with the same expiry rules as the shared store; entries are kept per meeting.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Dictionary<string, Dictionary<string, (PresenceEntry Entry, long ExpiresAt)>> _meetings = new(StringComparer.Ordinal);

    public Task<bool> UpsertAsync(string meetingId, PresenceEntry entry, long expiresAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out var entries))
            {
                _meetings[meetingId] = entries = new(StringComparer.Ordinal);
            }

            var existed = entries.TryGetValue(entry.Participant.ParticipantId, out var current);
            var stored = existed ? entry with { Participant = entry.Participant with { HandRaised = current.Entry.Participant.HandRaised } } : entry;
            entries[entry.Participant.ParticipantId] = (stored, expiresAtUnixMs);
            return Task.FromResult(!existed);
        }
    }

    public Task<bool> TouchAsync(string meetingId, string participantId, long expiresAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            if (!TryGet(meetingId, participantId, out var entries, out var current))
            {
                return Task.FromResult(false);
            }

            entries[participantId] = (current.Entry, Math.Max(current.ExpiresAt, expiresAtUnixMs));
            return Task.FromResult(true);
        }
    }

    public Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            if (!TryGet(meetingId, participantId, out var entries, out var current))
            {
                return Task.FromResult<ParticipantView?>(null);
            }

            var updated = current.Entry with { Participant = current.Entry.Participant with { HandRaised = raised } };
            entries[participantId] = (updated, current.ExpiresAt);
            return Task.FromResult<ParticipantView?>(updated.Participant);
        }
    }

    public Task<bool> RemoveAsync(string meetingId, string participantId, string? connectionId, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            if (!TryGet(meetingId, participantId, out var entries, out var current) || (connectionId is not null && current.Entry.ConnectionId != connectionId))
            {
                return Task.FromResult(false);
            }

            Remove(meetingId, entries, participantId);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            IReadOnlyList<ParticipantView> present = !_meetings.TryGetValue(meetingId, out var entries) ? [] : [.. entries.Values
                .Where(value => value.ExpiresAt > nowUnixMs)
                .Select(value => value.Entry.Participant)
                .OrderBy(view => view.DisplayName, StringComparer.Ordinal)
                .ThenBy(view => view.ParticipantId, StringComparer.Ordinal)];
            return Task.FromResult(present);
        }
    }

    public Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            return Task.FromResult(_meetings.TryGetValue(meetingId, out var entries) ? entries.Count : 0);
        }
    }

    public Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> RemoveExpiredAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default)
    {
        lock (_meetings)
        {
            var expired = _meetings
                .SelectMany(meeting => meeting.Value.Where(pair => pair.Value.ExpiresAt <= nowUnixMs).Select(pair => (MeetingId: meeting.Key, ParticipantId: pair.Key)))
                .Take(max)
                .ToList();
            foreach (var (meetingId, participantId) in expired)
            {
                Remove(meetingId, _meetings[meetingId], participantId);
            }

            return Task.FromResult<IReadOnlyList<(string MeetingId, string ParticipantId)>>(expired);
        }
    }

    private bool TryGet(string meetingId, string participantId, out Dictionary<string, (PresenceEntry Entry, long ExpiresAt)> entries, out (PresenceEntry Entry, long ExpiresAt) current)
    {
        current = default;
        return _meetings.TryGetValue(meetingId, out entries!) && entries.TryGetValue(participantId, out current);
    }

    private void Remove(string meetingId, Dictionary<string, (PresenceEntry Entry, long ExpiresAt)> entries, string participantId)
    {
        entries.Remove(participantId);
        if (entries.Count == 0)
        {
            _meetings.Remove(meetingId);
        }
    }
}
