
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Polls;

/// <summary>
/// Polls, ballots and tallies. A ballot is keyed by participant id: casting again replaces the previous ballot.
/// Casting and closing are atomic with respect to each other, so the tally read after a close is final and exact.
/// </summary>
public interface IPollStore
{
    Task CreateAsync(Poll poll, CancellationToken cancellationToken = default);

    Task<Poll?> GetAsync(string meetingId, string pollId, CancellationToken cancellationToken = default);

    /// <summary>All polls of a meeting, oldest first.</summary>
    Task<IReadOnlyList<Poll>> ListAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Moves the poll from <paramref name="from"/> to <paramref name="to"/>; null when unknown. Changed is false when it was not in <paramref name="from"/>.</summary>
    Task<PollTransition?> TransitionAsync(string meetingId, string pollId, PollState from, PollState to, long atUnixMs, CancellationToken cancellationToken = default);

    /// <summary>Stores the ballot if the poll is open (option indexes are validated by the caller).</summary>
    Task<CastOutcome> CastAsync(string meetingId, string pollId, Ballot ballot, CancellationToken cancellationToken = default);

    /// <summary>Counts per option; <paramref name="optionCount"/> sizes the result.</summary>
    Task<PollTally> GetTallyAsync(string meetingId, string pollId, int optionCount, bool final, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<int>?> GetBallotAsync(string meetingId, string pollId, string participantId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Ballot>> GetBallotsAsync(string meetingId, string pollId, CancellationToken cancellationToken = default);
}
