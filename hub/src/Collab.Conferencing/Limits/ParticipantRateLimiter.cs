using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Limits;

public enum RateLimitKind
{
    Chat,
    Vote,
    Question,

    /// <summary>Renaming yourself, asking to speak and withdrawing (each pushes to the whole meeting).</summary>
    Participation,
}

/// <summary>
/// Rate limits per participant (not per IP: a whole venue shares one NAT address, and not per connection: a
/// participant with three connections, or one that rejoins, has one budget). The buckets live in
/// <see cref="IRateLimitStore"/>: in Redis when the deployment shares one, so the limit holds across nodes.
/// </summary>
public sealed class ParticipantRateLimiter(IRateLimitStore store, IOptions<ConferencingOptions> options)
{
    /// <summary>Takes one token or throws a rate_limited refusal saying when to retry.</summary>
    public async ValueTask AcquireAsync(Session session, RateLimitKind kind, CancellationToken cancellationToken = default)
    {
        var (rate, burst) = kind switch
        {
            RateLimitKind.Chat => (options.Value.ChatMessagesPerSecond, options.Value.ChatBurst),
            RateLimitKind.Question => (options.Value.QuestionsPerSecond, options.Value.QuestionBurst),
            RateLimitKind.Participation => (options.Value.ParticipationChangesPerSecond, options.Value.ParticipationChangeBurst),
            _ => (options.Value.VotesPerSecond, options.Value.VoteBurst),
        };
        var decision = await store.TryTakeAsync(session.MeetingId, session.ParticipantId, kind, rate, burst, cancellationToken);
        if (!decision.Allowed)
        {
            var what = kind switch
            {
                RateLimitKind.Chat => "chat messages",
                RateLimitKind.Question => "questions",
                RateLimitKind.Participation => "renames and requests to speak",
                _ => "votes",
            };
            var waitMs = Math.Max(1, Math.Ceiling(decision.RetryAfter.TotalMilliseconds));
            throw new ConferencingException(ConferencingError.RateLimited, $"Too many {what}: at most {rate:0.##} per second (bursts of {burst}); retry in {waitMs:0} ms.");
        }
    }
}
