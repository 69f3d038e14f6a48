using System.ComponentModel.DataAnnotations;

namespace Collab.Conferencing.Rooms;

/// <summary>Discussion rooms: limits and timings (section <c>Collab:Rooms</c>). Every value has a safe default.</summary>
public sealed class RoomOptions
{
    public const string SectionName = "Collab:Rooms";

    /// <summary>Open (not yet closed) rooms a meeting may have at once, moderators' and participants' together.</summary>
    [Range(1, 500)]
    public int MaxRoomsPerMeeting { get; set; } = 50;

    /// <summary>Rooms one <c>CreateRooms</c> call may create.</summary>
    [Range(1, 500)]
    public int MaxRoomsPerRequest { get; set; } = 50;

    [Range(1, 200)]
    public int MaxRoomNameLength { get; set; } = 60;

    /// <summary>Longest room timer, in seconds (a timed room closes by itself and everyone returns to the main room).</summary>
    [Range(1, 7 * 24 * 3600)]
    public int MaxTimerSeconds { get; set; } = 24 * 3600;

    /// <summary>How often each node looks for rooms whose timer ran out (each such room is closed by exactly one node).</summary>
    [Range(50, 60_000)]
    public int TimerSweepMilliseconds { get; set; } = 1_000;

    /// <summary>At most one <c>RoomsUpdated</c> push per meeting per interval from each node (moves in a busy meeting coalesce).</summary>
    [Range(0, 10_000)]
    public int PushIntervalMilliseconds { get; set; } = 250;
}
