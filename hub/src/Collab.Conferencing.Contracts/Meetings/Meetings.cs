using Collab.Conferencing.Polls;
using Collab.Conferencing.Chat;

namespace Collab.Conferencing.Meetings;

public enum ParticipantRole
{
    Participant,
    Moderator,
}

/// <summary>Who is in a meeting right now, as every member sees it.</summary>
public sealed record ParticipantView(string ParticipantId, string DisplayName, ParticipantRole Role, bool HandRaised);

public sealed record CreateMeetingRequest(string? Title, MeetingSettings? Settings = null);

/// <summary>Optional settings chosen when a meeting is created. <see cref="ChatEnabled"/>: false for a polls-only session.</summary>
public sealed record MeetingSettings(bool ChatEnabled = true);

/// <summary>What the creator of a meeting receives, once: the join code to share and the secret moderator key.</summary>
public sealed record CreatedMeeting(string MeetingId, string Title, string JoinCode, string ModeratorKey, MeetingSettings Settings);

/// <summary>Join with a join code (participant), a moderator key (moderator) or a resume token (rejoin as before).</summary>
public sealed record JoinRequest(string? MeetingId, string? DisplayName, string? JoinCode = null, string? ModeratorKey = null, string? ResumeToken = null);

public sealed record MeetingInfo(string MeetingId, string Title, bool Ended, MeetingSettings Settings);

/// <summary>
/// The snapshot a client starts from: its identity and token, who is present, the polls with their tallies and
/// the caller's own ballots, and the last chat sequence (ask for history or catch up from there). Over the presence
/// broadcast limit, <see cref="Participants"/> is empty for everyone but moderators (ask <c>GetParticipants</c> for
/// the list) and <see cref="ParticipantCount"/> says how many are present. <see cref="Waiting"/>: the caller waits in
/// the lobby (only its identity and token are filled in; it is pushed <c>LobbyAdmitted</c> or <c>LobbyDenied</c>).
/// <see cref="Lobby"/>: the lobby and lock, for moderators (null for anyone else). <see cref="Room"/>: the discussion room
/// the participant is in (null: the main room); <see cref="LastChatSequence"/> is that room's chat.
/// <see cref="ChatHistory"/>: the newest page of that chat (what <c>GetChatHistory(null, 100)</c> returns; its
/// <see cref="ChatPage.LastSequence"/> equals <see cref="LastChatSequence"/>), and <see cref="Floor"/>: the floor as
/// <c>GetFloor</c> returns it, so the join alone completes the meeting screen. Both are null from a hub before them
/// and while waiting in the lobby.
/// </summary>
public sealed record JoinResult(
    MeetingInfo Meeting,
    string ParticipantId,
    string DisplayName,
    ParticipantRole Role,
    string ResumeToken,
    bool Resumed,
    IReadOnlyList<ParticipantView> Participants,
    IReadOnlyList<PollView> Polls,
    IReadOnlyList<BallotView> MyBallots,
    long LastChatSequence,
    int ParticipantCount = 0,
    bool Waiting = false,
    Lobby.LobbyView? Lobby = null,
    Rooms.RoomLocationView? Room = null,
    ChatPage? ChatHistory = null,
    Audio.FloorView? Floor = null);

/// <summary>
/// How many are present, and whether everyone is told of each join and leave again (<see cref="Listed"/>: the meeting
/// is back within the presence broadcast limit; fetch the list with <c>GetParticipants</c> to resume).
/// </summary>
public sealed record ParticipantCountView(int Count, bool Listed);
