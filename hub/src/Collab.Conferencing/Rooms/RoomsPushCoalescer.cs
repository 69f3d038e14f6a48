using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Presence;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Rooms;

/// <summary>
/// Pushes a meeting's rooms to everyone at most once per <see cref="RoomOptions.PushIntervalMilliseconds"/> per
/// meeting on this node, each push reading the rooms from the store, so a wave of moves (a moderator's assignment, a
/// room closing, everyone picking a room at once) reaches members as a few pushes with the latest state.
/// </summary>
public sealed class RoomsPushCoalescer : IDisposable
{
    private readonly MeetingPushCoalescer _pushes;

    public RoomsPushCoalescer(IRoomStore store, IRoomNotifier notifier, IOptions<RoomOptions> options, TimeProvider time, Pushes.BestEffortPushes pushes) =>
        _pushes = new MeetingPushCoalescer(
            time,
            TimeSpan.FromMilliseconds(options.Value.PushIntervalMilliseconds),
            pushes,
            "rooms",
            async meetingId => await notifier.RoomsUpdatedAsync(meetingId, (await store.GetAsync(meetingId)).ToView()));

    public void Changed(string meetingId) => _pushes.Changed(meetingId);

    public void Dispose() => _pushes.Dispose();
}
