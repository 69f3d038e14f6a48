using Collab.Conferencing.Redis;
using Collab.Conferencing.Rooms;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Rooms;

/// <summary>
/// Room groups and pushes over SignalR: a connection's scope group (<see cref="MeetingGroups.Scope"/>) changes as it
/// moves; room lists and broadcasts go to the meeting's group. Best effort in this one place: a failed group change or
/// push is logged and the call goes on (the move is stored; chat is caught up by sequence, rooms by <c>GetRooms</c>).
/// </summary>
internal sealed partial class SignalRRoomNotifier(IHubContext<MeetingHub, IMeetingClient> hub, ILogger<SignalRRoomNotifier> logger) : IRoomNotifier
{
    public Task EnterScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default) =>
        BestEffortAsync("enter scope group", connectionId, () => hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Scope(scopeId), cancellationToken));

    public Task LeaveScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default) =>
        BestEffortAsync("leave scope group", connectionId, () => hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Scope(scopeId), cancellationToken));

    public Task RoomsUpdatedAsync(string meetingId, RoomsView rooms, CancellationToken cancellationToken = default) =>
        BestEffortAsync("rooms updated", meetingId, () => hub.Clients.Group(MeetingGroups.Meeting(meetingId)).RoomsUpdated(rooms));

    public Task RoomChangedAsync(string connectionId, RoomLocationView location, CancellationToken cancellationToken = default) =>
        BestEffortAsync("room changed", connectionId, () => hub.Clients.Client(connectionId).RoomChanged(location));

    public Task RoomBroadcastAsync(string meetingId, RoomBroadcastView broadcast, CancellationToken cancellationToken = default) =>
        BestEffortAsync("room broadcast", meetingId, () => hub.Clients.Group(MeetingGroups.Meeting(meetingId)).RoomBroadcast(broadcast));

    private async Task BestEffortAsync(string what, string target, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PushFailed(logger, what, target, exception);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Room push or group change '{What}' for {Target} failed")]
    private static partial void PushFailed(ILogger logger, string what, string target, Exception exception);
}
