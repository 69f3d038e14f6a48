using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Presence;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Polls;

/// <summary>
/// Coalesces live tally pushes: the first ballot of a quiet poll is pushed at once, later ones at most once per
/// <see cref="ConferencingOptions.TallyPushIntervalMilliseconds"/> per poll on this node, each push reading the
/// current counts from the store. <see cref="Complete"/> stops the pushes of a closed poll, whose final tally the
/// poll service pushes itself, at once.
/// </summary>
public sealed class TallyCoalescer(
    IPollStore store,
    IMeetingNotifier notifier,
    Pushes.BestEffortPushes pushes,
    ConferencingMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time) : IDisposable
{
    private readonly Dictionary<(string MeetingId, string PollId), PollPushState> _polls = [];

    public void BallotRecorded(string meetingId, string pollId, int optionCount)
    {
        var key = (meetingId, pollId);
        PollPushState state;
        lock (_polls)
        {
            if (!_polls.TryGetValue(key, out state!))
            {
                _polls[key] = state = new PollPushState(optionCount, new PushThrottle(time, TimeSpan.FromMilliseconds(options.Value.TallyPushIntervalMilliseconds)));
            }

            if (!state.Throttle.Request(() => _ = PushAsync(key, state)))
            {
                return;
            }
        }

        _ = PushAsync(key, state);
    }

    /// <summary>The poll closed: no more live pushes for it.</summary>
    public void Complete(string meetingId, string pollId)
    {
        lock (_polls)
        {
            if (_polls.Remove((meetingId, pollId), out var state))
            {
                state.Completed = true;
                state.Throttle.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (_polls)
        {
            foreach (var state in _polls.Values)
            {
                state.Completed = true;
                state.Throttle.Cancel();
            }

            _polls.Clear();
        }
    }

    private async Task PushAsync((string MeetingId, string PollId) key, PollPushState state)
    {
        lock (_polls)
        {
            if (state.Completed)
            {
                return;
            }

            // Ballots from here on schedule the next push; this one reads everything stored so far.
            state.Throttle.Starting();
        }

        await pushes.RunAsync("poll tally", key.MeetingId, async () =>
        {
            var tally = await store.GetTallyAsync(key.MeetingId, key.PollId, state.OptionCount, final: false);
            if (!state.Completed)
            {
                await notifier.PollTallyUpdatedAsync(key.MeetingId, tally);
                metrics.TallyPushed();
            }
        });
    }

    private sealed class PollPushState(int optionCount, PushThrottle throttle)
    {
        public int OptionCount { get; } = optionCount;

        public PushThrottle Throttle { get; } = throttle;

        public bool Completed { get; set; }
    }
}
