using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Services;

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
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<ParticipantCountCoalescer> logger) : IDisposable
{
    private readonly Dictionary<string, MeetingCountState> _meetings = new(StringComparer.Ordinal);

    /// <summary>Presence changed in a meeting that now has <paramref name="count"/> entries.</summary>
    public void Changed(string meetingId, int count)
    {
        MeetingCountState state;
        TimeSpan delay;
        lock (_meetings)
        {
            var known = _meetings.TryGetValue(meetingId, out state!);
            if (!known && count <= options.Value.PresenceBroadcastLimit)
            {
                return;
            }

            if (!known)
            {
                _meetings[meetingId] = state = new MeetingCountState();
            }

            if (state.Scheduled)
            {
                return;
            }

            state.Scheduled = true;
            var interval = TimeSpan.FromMilliseconds(options.Value.ParticipantCountPushIntervalMilliseconds);
            delay = state.LastPush is { } last ? interval - time.GetElapsedTime(last) : TimeSpan.Zero;
            if (delay > TimeSpan.Zero)
            {
                state.Timer = time.CreateTimer(_ => _ = PushAsync(meetingId, state), null, delay, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        _ = PushAsync(meetingId, state);
    }

    public void Dispose()
    {
        lock (_meetings)
        {
            foreach (var state in _meetings.Values)
            {
                state.Timer?.Dispose();
            }

            _meetings.Clear();
        }
    }

    private async Task PushAsync(string meetingId, MeetingCountState state)
    {
        lock (_meetings)
        {
            // Changes from here on schedule the next push; this one reads everything stored so far.
            state.Scheduled = false;
            state.Timer?.Dispose();
            state.Timer = null;
            state.LastPush = time.GetTimestamp();
        }

        try
        {
            var count = await store.CountAsync(meetingId);
            var listed = count <= options.Value.PresenceBroadcastLimit;
            await notifier.ParticipantCountAsync(meetingId, new ParticipantCountView(count, listed));
            if (listed)
            {
                lock (_meetings)
                {
                    if (!state.Scheduled)
                    {
                        _meetings.Remove(meetingId);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            ConferencingLog.PushFailed(logger, "participant count", meetingId, exception);
        }
    }

    private sealed class MeetingCountState
    {
        public long? LastPush { get; set; }

        public bool Scheduled { get; set; }

        public ITimer? Timer { get; set; }
    }
}
