using Collab.Conferencing.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Rooms;

/// <summary>
/// Pushes a meeting's rooms to everyone at most once per <see cref="RoomOptions.PushIntervalMilliseconds"/> per
/// meeting on this node, each push reading the rooms from the store, so a wave of moves (a moderator's assignment, a
/// room closing, everyone picking a room at once) reaches members as a few pushes with the latest state.
/// </summary>
public sealed class RoomsPushCoalescer(IRoomStore store, IRoomNotifier notifier, IOptions<RoomOptions> options, TimeProvider time, ILogger<RoomsPushCoalescer> logger) : IDisposable
{
    private readonly Dictionary<string, PushThrottle> _meetings = new(StringComparer.Ordinal);

    public void Changed(string meetingId)
    {
        PushThrottle throttle;
        lock (_meetings)
        {
            if (!_meetings.TryGetValue(meetingId, out throttle!))
            {
                _meetings[meetingId] = throttle = new PushThrottle(time, TimeSpan.FromMilliseconds(options.Value.PushIntervalMilliseconds));
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
            throttle.Starting();
        }

        try
        {
            var state = await store.GetAsync(meetingId);
            await notifier.RoomsUpdatedAsync(meetingId, state.ToView());
        }
        catch (Exception exception)
        {
            ConferencingLog.PushFailed(logger, "rooms", meetingId, exception);
        }
        finally
        {
            lock (_meetings)
            {
                if (!throttle.Scheduled)
                {
                    _meetings.Remove(meetingId);
                }
            }
        }
    }
}
