namespace Collab.Conferencing.Rooms;

/// <summary>
/// The meeting's room settings. <see cref="SelfOrganised"/>: participants may create open rooms and move between
/// rooms freely; when false, a participant may enter only the room a moderator assigned them to (and return to the
/// main room at any time).
/// </summary>
public sealed record RoomSettings(bool SelfOrganised);

/// <summary>Someone in a room: the name they had when they moved there.</summary>
public sealed record RoomMemberView(string ParticipantId, string DisplayName);

/// <summary>
/// A discussion room as everyone sees it. <see cref="Open"/>: a participant created it (anyone may enter in a
/// self-organised meeting); otherwise a moderator did, and <see cref="Assigned"/> lists who was assigned to it.
/// <see cref="ClosesAtUnixMs"/>: its timer (null: none). <see cref="Members"/>: who is in it now (connected or not:
/// a participant whose link dropped comes back to the same room).
/// </summary>
public sealed record RoomView(
    string RoomId,
    string Name,
    bool Open,
    string CreatedBy,
    long CreatedAtUnixMs,
    long? ClosesAtUnixMs,
    IReadOnlyList<string> Assigned,
    IReadOnlyList<RoomMemberView> Members);

/// <summary>The meeting's open rooms in creation order; keep the view with the highest <see cref="Version"/>.</summary>
public sealed record RoomsView(RoomSettings Settings, IReadOnlyList<RoomView> Rooms, long Version);

public enum RoomMoveReason
{
    /// <summary>The participant entered a room (<c>JoinRoom</c>, or creating an open room).</summary>
    Joined,

    /// <summary>The participant went back to the main room (<c>ReturnToMainRoom</c>).</summary>
    Left,

    /// <summary>A moderator assigned the participant to a room it created.</summary>
    Assigned,

    /// <summary>A moderator closed the room: everyone in it is back in the main room.</summary>
    Closed,

    /// <summary>The room's timer ran out: everyone in it is back in the main room.</summary>
    TimerEnded,
}

/// <summary>
/// Where a participant is: <see cref="RoomId"/> null is the main room. <see cref="LastChatSequence"/>: the newest
/// message of that room's chat (catch up with <c>GetChatSince</c>, which reads the room you are in).
/// </summary>
public sealed record RoomLocationView(string? RoomId, string? RoomName, RoomMoveReason Reason, long LastChatSequence);

/// <summary>A moderator's message to every room (also stored in each room's chat and the main chat).</summary>
public sealed record RoomBroadcastView(string ParticipantId, string DisplayName, string Text, long SentAtUnixMs, int Rooms);

public sealed record RoomRequest(string? Name, IReadOnlyList<string>? ParticipantIds = null);

/// <summary>Rooms to create at once; <see cref="TimerSeconds"/> (optional) closes all of them after that long.</summary>
public sealed record CreateRoomsRequest(IReadOnlyList<RoomRequest>? Rooms, int? TimerSeconds = null);

public sealed record CreateOpenRoomRequest(string? Name);

public sealed record BroadcastToRoomsRequest(string? ClientMessageId, string? Text);
