using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Limits;

/// <summary>
/// Counts wrong join codes per meeting in a fixed window; past the limit, join-code attempts for that meeting are
/// refused until the window ends (moderator keys and resume tokens still work). Kept per node.
/// </summary>
public sealed class JoinCodeThrottle(IOptions<ConferencingOptions> options, TimeProvider time)
{
    private const int MaxTrackedMeetings = 100_000;
    private readonly Dictionary<string, (DateTimeOffset WindowStart, int Failures)> _failures = new(StringComparer.Ordinal);

    /// <summary>Throws a rate_limited refusal when the meeting has had too many wrong codes in this window.</summary>
    public void EnsureAllowed(string meetingId)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.Value.WrongJoinCodeWindowSeconds);
        lock (_failures)
        {
            if (_failures.TryGetValue(meetingId, out var entry) && now - entry.WindowStart < window && entry.Failures >= options.Value.WrongJoinCodeLimit)
            {
                var retry = entry.WindowStart + window - now;
                throw new ConferencingException(ConferencingError.RateLimited, $"Too many wrong join codes for this meeting; try again in {Math.Ceiling(retry.TotalSeconds):0} s.");
            }
        }
    }

    public void RecordFailure(string meetingId)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.Value.WrongJoinCodeWindowSeconds);
        lock (_failures)
        {
            if (_failures.Count >= MaxTrackedMeetings)
            {
                foreach (var stale in _failures.Where(pair => now - pair.Value.WindowStart >= window).Select(pair => pair.Key).ToList())
                {
                    _failures.Remove(stale);
                }
            }

            _failures[meetingId] = _failures.TryGetValue(meetingId, out var entry) && now - entry.WindowStart < window
                ? (entry.WindowStart, entry.Failures + 1)
                : (now, 1);
        }
    }
}
