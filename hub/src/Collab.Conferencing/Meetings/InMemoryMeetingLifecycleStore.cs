
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>Live and ended meetings of this process, each with its time (last occupied, or ended).</summary>
public sealed class InMemoryMeetingLifecycleStore : IMeetingLifecycleStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _ended = new(StringComparer.Ordinal);

    public Task<bool> TryAddLiveAsync(string meetingId, long nowUnixMs, int maxLive, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_live.ContainsKey(meetingId))
            {
                return Task.FromResult(true);
            }

            if (_live.Count >= maxLive)
            {
                return Task.FromResult(false);
            }

            _live[meetingId] = nowUnixMs;
            return Task.FromResult(true);
        }
    }

    public Task<int> CountLiveAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_live.Count);
        }
    }

    public Task MarkOccupiedAsync(IReadOnlyCollection<string> meetingIds, long nowUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var meetingId in meetingIds.Where(_live.ContainsKey))
            {
                _live[meetingId] = nowUnixMs;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListIdleAsync(long cutoffUnixMs, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. Oldest(_live, cutoffUnixMs, max)]);
        }
    }

    public Task MarkEndedAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _live.Remove(meetingId);
            _ended.TryAdd(meetingId, endedAtUnixMs);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> TakeExpiredAsync(long endedBeforeUnixMs, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var expired = Oldest(_ended, endedBeforeUnixMs, max).ToList();
            expired.ForEach(meetingId => _ended.Remove(meetingId));
            return Task.FromResult<IReadOnlyList<string>>(expired);
        }
    }

    private static IEnumerable<string> Oldest(Dictionary<string, long> meetings, long cutoffUnixMs, int max) =>
        meetings.Where(pair => pair.Value <= cutoffUnixMs).OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Take(max).Select(pair => pair.Key);
}
