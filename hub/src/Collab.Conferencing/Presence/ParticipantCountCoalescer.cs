using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Presence;

/// <summary>
/// Pushes a large meeting's participant count to everyone, at most once per
/// <see cref="ConferencingOptions.ParticipantCountPushIntervalMilliseconds"/> per meeting on this node, each push
/// reading the count from the store: while a meeting is over <see cref="ConferencingOptions.PresenceBroadcastLimit"/>,
/// this replaces the per-join pushes for everyone but the moderators. One more push follows when the meeting falls
/// back under the limit, so clients know to fetch the list again.
/// </summary>
public sealed class ParticipantCountCoalescer(
    IPresenceStore store,
    IMeetingNotifier notifier,
    Pushes.BestEffortPushes pushes,
    IOptions<ConferencingOptions> options,
    TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, PushThrottle> _meetings = new(StringComparer.Ordinal);

    /// <summary>Presence changed in a meeting that now has <paramref name="count"/> entries.</summary>
    public void Changed(string meetingId, int count)
    {
        PushThrottle throttle;
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out throttle!))
            {
                if (count <= options.Value.PresenceBroadcastLimit)
                {
                    return;
                }

                _meetings[meetingId] = throttle = new PushThrottle(time, TimeSpan.FromMilliseconds(options.Value.ParticipantCountPushIntervalMilliseconds));
            }

            if (!throttle.Request(() => _ = PushAsync(meetingId, throttle)))
            {
                return;
            }
        }

        _ = PushAsync(meetingId, throttle);
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

        await pushes.RunAsync("participant count", meetingId, async () =>
        {
            var count = await store.CountAsync(meetingId);
            var listed = count <= options.Value.PresenceBroadcastLimit;
            await notifier.ParticipantCountAsync(meetingId, new ParticipantCountView(count, listed));
            if (listed)
            {
                lock (_meetings)
                {
                    if (!throttle.Scheduled)
                    {
                        _meetings.Remove(meetingId);
                    }
                }
            }
        });
    }
}
