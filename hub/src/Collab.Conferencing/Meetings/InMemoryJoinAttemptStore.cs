
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>Wrong join codes in this process; windows that have passed are dropped once many meetings are tracked.</summary>
public sealed class InMemoryJoinAttemptStore(TimeProvider time) : IJoinAttemptStore
{
    private const int PruneAbove = 10_000;
    private readonly Dictionary<string, (DateTimeOffset Ends, int Failures)> _windows = new(StringComparer.Ordinal);

    public Task<(int Failures, TimeSpan Remaining)> GetAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_windows)
        {
            return Task.FromResult(_windows.TryGetValue(meetingId, out var window) && window.Ends > now
                ? (window.Failures, window.Ends - now)
                : (0, TimeSpan.Zero));
        }
    }

    public Task<int> RecordFailureAsync(string meetingId, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        lock (_windows)
        {
            if (_windows.Count > PruneAbove)
            {
                foreach (var ended in _windows.Where(pair => pair.Value.Ends <= now).Select(pair => pair.Key).ToList())
                {
                    _windows.Remove(ended);
                }
            }

            var current = _windows.TryGetValue(meetingId, out var open) && open.Ends > now ? (open.Ends, open.Failures + 1) : (now + window, 1);
            _windows[meetingId] = current;
            return Task.FromResult(current.Item2);
        }
    }
}
