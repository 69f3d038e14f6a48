using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;

namespace Collab.Conferencing.InMemory;

/// <summary>Presence in this process, with the same expiry rules as the shared store.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Dictionary<(string MeetingId, string ParticipantId), (PresenceEntry Entry, long ExpiresAt)> _entries = [];

    public Task<bool> UpsertAsync(string meetingId, PresenceEntry entry, long expiresAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            var key = (meetingId, entry.Participant.ParticipantId);
            var existed = _entries.TryGetValue(key, out var current);
            var stored = existed ? entry with { Participant = entry.Participant with { HandRaised = current.Entry.Participant.HandRaised } } : entry;
            _entries[key] = (stored, expiresAtUnixMs);
            return Task.FromResult(!existed);
        }
    }

    public Task<bool> TouchAsync(string meetingId, string participantId, long expiresAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue((meetingId, participantId), out var current))
            {
                return Task.FromResult(false);
            }

            _entries[(meetingId, participantId)] = (current.Entry, Math.Max(current.ExpiresAt, expiresAtUnixMs));
            return Task.FromResult(true);
        }
    }

    public Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue((meetingId, participantId), out var current))
            {
                return Task.FromResult<ParticipantView?>(null);
            }

            var updated = current.Entry with { Participant = current.Entry.Participant with { HandRaised = raised } };
            _entries[(meetingId, participantId)] = (updated, current.ExpiresAt);
            return Task.FromResult<ParticipantView?>(updated.Participant);
        }
    }

    public Task<bool> RemoveAsync(string meetingId, string participantId, string? connectionId, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            var key = (meetingId, participantId);
            if (!_entries.TryGetValue(key, out var current) || (connectionId is not null && current.Entry.ConnectionId != connectionId))
            {
                return Task.FromResult(false);
            }

            return Task.FromResult(_entries.Remove(key));
        }
    }

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            IReadOnlyList<ParticipantView> present = [.. _entries
                .Where(pair => pair.Key.MeetingId == meetingId && pair.Value.ExpiresAt > nowUnixMs)
                .Select(pair => pair.Value.Entry.Participant)
                .OrderBy(view => view.DisplayName, StringComparer.Ordinal)
                .ThenBy(view => view.ParticipantId, StringComparer.Ordinal)];
            return Task.FromResult(present);
        }
    }

    public Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> RemoveExpiredAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            var expired = _entries.Where(pair => pair.Value.ExpiresAt <= nowUnixMs).Select(pair => pair.Key).Take(max).ToList();
            foreach (var key in expired)
            {
                _entries.Remove(key);
            }

            return Task.FromResult<IReadOnlyList<(string MeetingId, string ParticipantId)>>(expired);
        }
    }
}
