namespace Collab.Conferencing.Rooms;

/// <summary>
/// A meeting's discussion rooms and who is in which (shared by every node, so a participant reconnecting anywhere
/// comes back to its room). Each change is atomic (one Lua script in Redis) and raises the meeting's room version.
/// </summary>
public interface IRoomStore
{
    Task<RoomsState> GetAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>The room the participant is in, or null for the main room.</summary>
    Task<string?> LocateAsync(string meetingId, string participantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the rooms (ids <c>r1</c>, <c>r2</c>, … in order) and moves each assigned participant into its room, unless
    /// that would make more than <paramref name="maxOpenRooms"/> open rooms: then nothing is created and null is returned.
    /// A room with a timer is also recorded as due at its closing time (<see cref="TakeDueAsync"/>).
    /// </summary>
    Task<IReadOnlyList<RoomRecord>?> CreateAsync(string meetingId, IReadOnlyList<RoomDraft> drafts, int maxOpenRooms, CancellationToken cancellationToken = default);

    /// <summary>Moves a participant into an open room of the meeting (<paramref name="roomId"/> null: back to the main room).</summary>
    Task<RoomMoveResult> MoveAsync(string meetingId, string participantId, string displayName, string? roomId, CancellationToken cancellationToken = default);

    /// <summary>Closes a room, moving everyone in it back to the main room; null when the meeting has no such room.</summary>
    Task<RoomCloseResult?> CloseAsync(string meetingId, string roomId, long closedAtUnixMs, CancellationToken cancellationToken = default);

    Task<RoomsState> SetSettingsAsync(string meetingId, RoomSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> rooms (of any meeting) whose timer ran out by <paramref name="nowUnixMs"/>;
    /// each is claimed by exactly one caller, on any node.
    /// </summary>
    Task<IReadOnlyList<DueRoom>> TakeDueAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default);

    /// <summary>The meeting ended: its rooms (and their chats and floors) are kept for <paramref name="retention"/>, then dropped.</summary>
    Task ExpireAsync(string meetingId, TimeSpan retention, CancellationToken cancellationToken = default);
}
