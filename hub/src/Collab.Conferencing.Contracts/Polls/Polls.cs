namespace Collab.Conferencing.Polls;

public enum PollState
{
    Draft,
    Open,
    Closed,
}

/// <summary>
/// Ballot counts per option. <see cref="Version"/> grows with every accepted ballot change (clients drop a tally
/// older than one they have); <see cref="Final"/> once the poll is closed: then the counts never change again.
/// </summary>
public sealed record PollTally(string PollId, IReadOnlyList<int> Counts, int Voters, long Version, bool Final);

public sealed record BallotView(string PollId, IReadOnlyList<int> OptionIndexes);

public sealed record PollView(
    string PollId,
    string Question,
    IReadOnlyList<string> Options,
    bool MultipleChoice,
    bool Anonymous,
    PollState State,
    PollTally Tally);

/// <summary>
/// A new poll. The optional flags are nullable, not defaulted in the constructor: MessagePack fills a field the
/// client left out with <c>default</c> (false), so the documented defaults are applied by the service, alike for
/// both protocols.
/// </summary>
public sealed record CreatePollRequest(string? Question, IReadOnlyList<string?>? Options, bool? MultipleChoice = null, bool? Anonymous = null)
{
    public const bool DefaultMultipleChoice = false;
    public const bool DefaultAnonymous = true;
}

public sealed record VoteRequest(string? PollId, IReadOnlyList<int>? OptionIndexes);
