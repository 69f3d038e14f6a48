
using Collab.Conferencing.Chat;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Export;

/// <summary>
/// A meeting's record for its moderator: the retained chat transcript (the main room's, and each discussion room's in
/// <see cref="Rooms"/>), every poll with its results, and every question
/// (hidden ones included) with its upvote count and what moderators did to it (an anonymous one names nobody).
/// </summary>
public sealed record MeetingRecord(
    string MeetingId,
    string Title,
    long CreatedAtUnixMs,
    long? EndedAtUnixMs,
    IReadOnlyList<ChatMessage> Chat,
    bool ChatTruncated,
    IReadOnlyList<PollResult> Polls,
    IReadOnlyList<Qa.QuestionView> Questions,
    IReadOnlyList<RoomTranscript>? Rooms = null)
{
    /// <summary>Everyone who held the floor: turns and speaking time (a turn still running counts up to the export).</summary>
    public IReadOnlyList<Speakers.SpeakingTimeView> Speakers { get; init; } = [];
}


/// <summary>A discussion room (closed ones too) and its retained chat; sequences are the room's own.</summary>
public sealed record RoomTranscript(string RoomId, string Name, bool Open, string CreatedBy, long CreatedAtUnixMs, long? ClosedAtUnixMs, IReadOnlyList<ChatMessage> Chat, bool ChatTruncated);

/// <summary>A poll and its tally; <see cref="Ballots"/> lists who chose what for named polls only (null when anonymous).</summary>
public sealed record PollResult(PollView Poll, IReadOnlyList<NamedBallot>? Ballots);

public sealed record NamedBallot(string ParticipantId, string DisplayName, IReadOnlyList<int> OptionIndexes);
