using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Limits;

/// <summary>
/// Counts wrong join codes per meeting in a fixed window (shared by all nodes through <see cref="IJoinAttemptStore"/>);
/// past the limit, join-code attempts for that meeting are refused until the window ends. Moderator keys and resume
/// tokens still work, so a flood of guesses cannot lock a meeting's own people out for longer than one window.
/// </summary>
public sealed class JoinCodeThrottle(IJoinAttemptStore attempts, IOptions<ConferencingOptions> options)
{
    /// <summary>Throws a rate_limited refusal when the meeting has had too many wrong codes in this window.</summary>
    public async Task EnsureAllowedAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var (failures, remaining) = await attempts.GetAsync(meetingId, cancellationToken);
        if (failures >= options.Value.WrongJoinCodeLimit)
        {
            throw new ConferencingException(ConferencingError.RateLimited,
                $"Too many wrong join codes for this meeting; try again in {Math.Max(1, Math.Ceiling(remaining.TotalSeconds)):0} s.");
        }
    }

    public Task RecordFailureAsync(string meetingId, CancellationToken cancellationToken = default) =>
        attempts.RecordFailureAsync(meetingId, TimeSpan.FromSeconds(options.Value.WrongJoinCodeWindowSeconds), cancellationToken);
}
