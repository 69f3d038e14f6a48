using Collab.Conferencing.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Speakers;

/// <summary>
/// Coalesces <c>SpeakersUpdated</c> as tallies are: the first change of a quiet list is pushed at once, later ones at
/// most once per <see cref="ConferencingOptions.TallyPushIntervalMilliseconds"/> per meeting on this node, each push
/// reading the list as stored (a town hall where hundreds ask at once costs a few pushes, the last one exact).
/// </summary>
public sealed partial class SpeakersPushes(
    ISpeakerStore store,
    ISpeakersNotifier notifier,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<SpeakersPushes> logger) : IDisposable
{
    private const int MaxTracked = 10_000;

    private readonly Dictionary<string, PushThrottle> _meetings = new(StringComparer.Ordinal);

    public void Changed(string meetingId)
    {
        PushThrottle? throttle;
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out throttle))
            {
                if (_meetings.Count >= MaxTracked)
                {
                    foreach (var idle in _meetings.Where(entry => !entry.Value.Scheduled).Select(entry => entry.Key).ToList())
                    {
                        _meetings.Remove(idle);
                    }
                }

                _meetings[meetingId] = throttle = new PushThrottle(time, TimeSpan.FromMilliseconds(options.Value.TallyPushIntervalMilliseconds));
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
        }
    }

    private async Task PushAsync(string meetingId, PushThrottle throttle)
    {
        lock (_meetings)
        {
            throttle.Starting();
        }

        try
        {
            var state = await store.GetAsync(meetingId);
            await notifier.SpeakersUpdatedAsync(meetingId, state.View(time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PushFailed(logger, meetingId, exception);
        }
    }

    [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Pushing the list of speakers of meeting {MeetingId} failed")]
    private static partial void PushFailed(ILogger logger, string meetingId, Exception exception);
}
