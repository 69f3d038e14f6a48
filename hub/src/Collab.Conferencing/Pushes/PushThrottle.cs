
namespace Collab.Conferencing.Pushes;

/// <summary>
/// At most one push per interval for one thing (a poll's tally, a meeting's head count): the first request after a
/// quiet spell pushes at once, later ones at the end of the interval, and one push serves every request made before
/// it started. Not thread-safe: its owner calls it under its own lock.
/// </summary>
internal sealed class PushThrottle(TimeProvider time, TimeSpan interval)
{
    private long? _lastPush;
    private ITimer? _timer;

    public bool Scheduled { get; private set; }

    /// <summary>
    /// Asks for a push. Returns true when it is due now: the caller runs <paramref name="push"/> itself, outside its
    /// lock. Otherwise the push is already scheduled, or now is, on a timer.
    /// </summary>
    public bool Request(Action push)
    {
        if (Scheduled)
        {
            return false;
        }

        Scheduled = true;
        var delay = _lastPush is { } last ? interval - time.GetElapsedTime(last) : TimeSpan.Zero;
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        _timer = time.CreateTimer(_ => push(), null, delay, Timeout.InfiniteTimeSpan);
        return false;
    }

    /// <summary>The push is starting: requests from here on schedule the next one.</summary>
    public void Starting()
    {
        Scheduled = false;
        Cancel();
        _lastPush = time.GetTimestamp();
    }

    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
