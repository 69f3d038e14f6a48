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
    public ValueTask AcquireAsync(Session session, RateLimitKind kind, CancellationToken cancellationToken = default) =>
        AcquireAsync(ChargeFor(session, kind), cancellationToken);

    /// <summary>Takes the charge's token in its own round trip, or throws the rate_limited refusal.</summary>
    public async ValueTask AcquireAsync(RateLimitCharge charge, CancellationToken cancellationToken = default)
    {
        var kind = charge.Kind;
        var decision = await store.TryTakeAsync(charge.MeetingId, charge.ParticipantId, kind, charge.TokensPerSecond, charge.Burst, cancellationToken);
        if (!decision.Allowed)
        {
            throw Refusal(charge, decision.RetryAfter);
        }
    }

    /// <summary>
    /// The token a call of this kind costs the caller, for a store that takes it in the same step as the call's write
    /// (<see cref="Chat.IChatStore.AppendToOpenMeetingAsync"/>) instead of <see cref="AcquireAsync"/>'s own round trip.
    /// </summary>
    public RateLimitCharge ChargeFor(Session session, RateLimitKind kind)
    {
        var (rate, burst) = kind switch
        {
            RateLimitKind.Chat => (options.Value.ChatMessagesPerSecond, options.Value.ChatBurst),
            RateLimitKind.Question => (options.Value.QuestionsPerSecond, options.Value.QuestionBurst),
            RateLimitKind.Participation => (options.Value.ParticipationChangesPerSecond, options.Value.ParticipationChangeBurst),
            _ => (options.Value.VotesPerSecond, options.Value.VoteBurst),
        };
        return new RateLimitCharge(session.MeetingId, session.ParticipantId, kind, rate, burst);
    }

    /// <summary>The rate_limited refusal for a charge that found no token, saying when to retry.</summary>
    public static ConferencingException Refusal(RateLimitCharge charge, TimeSpan retryAfter)
    {
        var what = charge.Kind switch
        {
            RateLimitKind.Chat => "chat messages",
            RateLimitKind.Question => "questions",
            RateLimitKind.Participation => "renames and requests to speak",
            _ => "votes",
        };
        var waitMs = Math.Max(1, Math.Ceiling(retryAfter.TotalMilliseconds));
        return new ConferencingException(ConferencingError.RateLimited, $"Too many {what}: at most {charge.TokensPerSecond:0.##} per second (bursts of {charge.Burst}); retry in {waitMs:0} ms.");
    }
}

/// <summary>One token from a participant's bucket of one kind (<paramref name="TokensPerSecond"/> refill, <paramref name="Burst"/> capacity).</summary>
public sealed record RateLimitCharge(string MeetingId, string ParticipantId, RateLimitKind Kind, double TokensPerSecond, int Burst);
