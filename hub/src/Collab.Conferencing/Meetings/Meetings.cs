using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>A meeting as stored. The moderator key is kept only as a SHA-256 hash.</summary>
public sealed record Meeting(string Id, string Title, string JoinCode, string ModeratorKeyHash, long CreatedAtUnixMs, long? EndedAtUnixMs = null, bool ChatEnabled = true)
{
    public bool HasEnded => EndedAtUnixMs is not null;
}

/// <summary>
/// A participant's identity in one meeting; outlives connections (resume tokens point at it). <see cref="Promoted"/>:
/// a moderator because another moderator promoted them (a co-moderator, who may be demoted), not by the moderator key.
/// </summary>
public sealed record Participant(string MeetingId, string Id, string DisplayName, ParticipantRole Role, long JoinedAtUnixMs, bool Promoted = false);

/// <summary>One connection's membership: the meeting it joined and who it acts as.</summary>
public sealed record Session(string ConnectionId, string MeetingId, string ParticipantId, string DisplayName, ParticipantRole Role)
{
    public bool IsModerator => Role == ParticipantRole.Moderator;

    /// <summary>The discussion room the participant is in (null: the main room); kept in the room store, so every node agrees.</summary>
    public string? RoomId { get; init; }

    /// <summary>
    /// Where the connection's chat, floor and voice live: the meeting itself (main room) or one of its rooms
    /// (<see cref="Rooms.RoomScopes"/>). Services that act "in the room you are in" key their stores by this.
    /// </summary>
    public string ScopeId => Rooms.RoomScopes.Of(MeetingId, RoomId);
}
