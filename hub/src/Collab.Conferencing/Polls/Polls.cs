
namespace Collab.Conferencing.Polls;

public sealed record Poll(
    string MeetingId,
    string Id,
    string Question,
    IReadOnlyList<string> Options,
    bool MultipleChoice,
    bool Anonymous,
    PollState State,
    string CreatedBy,
    long CreatedAtUnixMs,
    long? OpenedAtUnixMs = null,
    long? ClosedAtUnixMs = null);

/// <summary>One participant's ballot: the option indexes chosen.</summary>
public sealed record Ballot(string ParticipantId, IReadOnlyList<int> OptionIndexes);

public enum CastOutcome
{
    Accepted,
    PollNotFound,
    PollNotOpen,
}

/// <summary>The result of a transition: the poll as it is now, and whether this call changed it.</summary>
public sealed record PollTransition(Poll Poll, bool Changed);
