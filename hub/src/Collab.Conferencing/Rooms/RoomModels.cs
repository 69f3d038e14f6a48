namespace Collab.Conferencing.Rooms;

/// <summary>A room about to be stored (the store gives it its id).</summary>
public sealed record RoomDraft(string Name, bool Open, string CreatedBy, long CreatedAtUnixMs, long? ClosesAtUnixMs, IReadOnlyList<RoomMemberView> Assigned);

/// <summary>A room as stored; closed rooms are kept for the export.</summary>
public sealed record RoomRecord(
    string RoomId,
    string Name,
    bool Open,
    string CreatedBy,
    long CreatedAtUnixMs,
    long? ClosesAtUnixMs,
    long? ClosedAtUnixMs,
    IReadOnlyList<string> Assigned)
{
    public bool Closed => ClosedAtUnixMs is not null;
}

/// <summary>The room a participant is in, with the name they had when they moved there.</summary>
public sealed record RoomPlace(string RoomId, string DisplayName);

/// <summary>Everything the store holds for one meeting's rooms: the settings, every room (closed ones too) and who is where.</summary>
public sealed record RoomsState(RoomSettings Settings, long Version, IReadOnlyList<RoomRecord> Rooms, IReadOnlyDictionary<string, RoomPlace> Where)
{
    public static readonly RoomsState Empty = new(new RoomSettings(false), 0, [], new Dictionary<string, RoomPlace>());

    public RoomRecord? Find(string roomId) => Rooms.FirstOrDefault(room => room.RoomId == roomId);

    public int OpenCount => Rooms.Count(room => !room.Closed);

    public RoomsView ToView() => new(
        Settings,
        Rooms.Where(room => !room.Closed).Select(room => new RoomView(
            room.RoomId,
            room.Name,
            room.Open,
            room.CreatedBy,
            room.CreatedAtUnixMs,
            room.ClosesAtUnixMs,
            room.Assigned.ToArray(),
            Where.Where(entry => entry.Value.RoomId == room.RoomId)
                .Select(entry => new RoomMemberView(entry.Key, entry.Value.DisplayName))
                .OrderBy(member => member.DisplayName, StringComparer.Ordinal)
                .ToArray())).ToArray(),
        Version);
}

public enum RoomMoveOutcome
{
    Moved,
    Unchanged,
    NoSuchRoom,
    RoomClosed,
}

/// <summary>What a move did; <see cref="PreviousRoomId"/> null: the participant was in the main room.</summary>
public sealed record RoomMoveResult(RoomMoveOutcome Outcome, string? PreviousRoomId);

/// <summary>A closed room and who was in it (now back in the main room); <see cref="AlreadyClosed"/>: closed before.</summary>
public sealed record RoomCloseResult(RoomRecord Room, IReadOnlyList<string> Returned, bool AlreadyClosed);

/// <summary>A room whose timer ran out, claimed by one node for closing.</summary>
public sealed record DueRoom(string MeetingId, string RoomId);
