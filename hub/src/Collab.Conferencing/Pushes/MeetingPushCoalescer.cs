using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Pushes;

/// <summary>
/// One push per meeting per interval on this node, each reading the state as stored when it starts (see
/// <see cref="PushThrottle"/>): the first change of a quiet meeting is pushed at once, later ones at the end of the
/// interval. Keeps at most <see cref="MaxTracked"/> meetings' throttles, dropping idle ones past that. The owner says
/// what one push does and names it; a push is best effort (<see cref="Pushes.BestEffortPushes"/>).
/// </summary>
internal sealed class MeetingPushCoalescer(TimeProvider time, TimeSpan interval, Pushes.BestEffortPushes pushes, string name, Func<string, Task> push) : IDisposable
{
    private const int MaxTracked = 10_000;

    private readonly Dictionary<string, PushThrottle> _meetings = new(StringComparer.Ordinal);

    /// <summary>
    /// Something to push changed in the meeting. With <paramref name="start"/> false, only a meeting already tracked
    /// gets a push (its last one, typically), so an owner can push for a meeting only while it is in some state.
    /// </summary>
    public void Changed(string meetingId, bool start = true)
    {
        PushThrottle? throttle;
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out throttle))
            {
                if (!start)
                {
                    return;
                }

                if (_meetings.Count >= MaxTracked)
                {
                    foreach (var idle in _meetings.Where(entry => !entry.Value.Scheduled).Select(entry => entry.Key).ToList())
                    {
                        _meetings.Remove(idle);
                    }
                }

                _meetings[meetingId] = throttle = new PushThrottle(time, interval);
            }

            if (!throttle.Request(() => _ = PushAsync(meetingId, throttle)))
            {
                return;
            }
        }

        _ = PushAsync(meetingId, throttle);
    }

    /// <summary>Stops tracking the meeting unless a push is already scheduled for it (the owner's push saw it leave the state it pushes for).</summary>
    public void ForgetUnlessScheduled(string meetingId)
    {
        lock (_meetings)
        {
            if (_meetings.TryGetValue(meetingId, out var throttle) && !throttle.Scheduled)
            {
                _meetings.Remove(meetingId);
            }
        }
    }

    public void Dispose()
    {
        lock (_meetings)
        {
            foreach (var throttle in _meetings.Values)
            {
                throttle.Cancel();
            }

            _meetings.Clear();
        }
    }

    private async Task PushAsync(string meetingId, PushThrottle throttle)
    {
        lock (_meetings)
        {
            // Changes from here on schedule the next push; this one reads everything stored so far.
            throttle.Starting();
        }

        await pushes.RunAsync(name, meetingId, () => push(meetingId));
    }
}
