namespace Collab.Conferencing.Rooms;

/// <summary>
/// A scope is where chat, floor and voice live: a meeting's main room (the meeting id itself) or one of its
/// discussion rooms (<c>{meetingId}/{roomId}</c>). Stores, the audio relay and the audio bus take a scope id wherever
/// they took a meeting id, so every room gets its own chat log, floor and audio channel with no change to them. The
/// '/' never occurs in an id (ids are letters, digits, '-', '_', '.', ':'), so a scope id cannot be forged as a
/// meeting id; the Redis key builder keeps a room's keys in its meeting's hash slot.
/// </summary>
public static class RoomScopes
{
    public const char Separator = '/';

    public static string Of(string meetingId, string? roomId) => roomId is null ? meetingId : $"{meetingId}{Separator}{roomId}";

    /// <summary>The meeting and room of a scope id (room null: the main room).</summary>
    public static (string MeetingId, string? RoomId) Parse(string scopeId)
    {
        var at = scopeId.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (scopeId, null) : (scopeId[..at], scopeId[(at + 1)..]);
    }
}
