namespace Collab.Conferencing.Rooms;

/// <summary>
/// Room pushes and room groups (the host implements it over SignalR). Every connection is in its meeting's group
/// (meeting-wide pushes) and in the group of its scope, the main room or its discussion room (chat, floor).
/// </summary>
public interface IRoomNotifier
{
    Task EnterScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default);

    Task LeaveScopeAsync(string connectionId, string scopeId, CancellationToken cancellationToken = default);

    /// <summary>To everyone in the meeting: the rooms changed (coalesced; keep the highest version).</summary>
    Task RoomsUpdatedAsync(string meetingId, RoomsView rooms, CancellationToken cancellationToken = default);

    /// <summary>To one connection: it is now in another room (or back in the main room).</summary>
    Task RoomChangedAsync(string connectionId, RoomLocationView location, CancellationToken cancellationToken = default);

    /// <summary>To everyone in the meeting, in every room: a moderator's broadcast.</summary>
    Task RoomBroadcastAsync(string meetingId, RoomBroadcastView broadcast, CancellationToken cancellationToken = default);
}
