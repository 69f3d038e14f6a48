using Collab.Conferencing.Model;

namespace Collab.Conferencing.Export;

/// <summary>A meeting's record for its moderator: the retained chat transcript and every poll with its results.</summary>
public sealed record MeetingRecord(
    string MeetingId,
    string Title,
    long CreatedAtUnixMs,
    long? EndedAtUnixMs,
    IReadOnlyList<ChatMessage> Chat,
    bool ChatTruncated,
    IReadOnlyList<PollResult> Polls);

/// <summary>A poll and its tally; <see cref="Ballots"/> lists who chose what for named polls only (null when anonymous).</summary>
public sealed record PollResult(PollView Poll, IReadOnlyList<NamedBallot>? Ballots);

public sealed record NamedBallot(string ParticipantId, string DisplayName, IReadOnlyList<int> OptionIndexes);
