using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Limits;

public enum RateLimitKind
{
    Chat,
    Vote,
}

/// <summary>
/// Token buckets per participant (not per IP: a whole venue shares one NAT address). A participant is served by one
/// node at a time, so each node keeps the buckets of its own participants.
/// </summary>
public sealed class ParticipantRateLimiter(IOptions<ConferencingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string ParticipantId, RateLimitKind Kind), Bucket> _buckets = new();

    /// <summary>Takes one token or throws a rate_limited refusal saying when to retry.</summary>
    public void Acquire(string participantId, RateLimitKind kind)
    {
        var (rate, burst) = kind == RateLimitKind.Chat
            ? (options.Value.ChatMessagesPerSecond, options.Value.ChatBurst)
            : (options.Value.VotesPerSecond, options.Value.VoteBurst);
        var bucket = _buckets.GetOrAdd((participantId, kind), _ => new Bucket(burst, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (time.GetElapsedTime(bucket.Refilled, now).TotalSeconds * rate));
            bucket.Refilled = now;
            if (bucket.Tokens < 1)
            {
                var waitMs = Math.Ceiling((1 - bucket.Tokens) / rate * 1000);
                var what = kind == RateLimitKind.Chat ? "chat messages" : "votes";
                throw new ConferencingException(ConferencingError.RateLimited, $"Too many {what}: at most {rate:0.##} per second (bursts of {burst}); retry in {waitMs:0} ms.");
            }

            bucket.Tokens--;
        }
    }

    /// <summary>Forgets a participant's buckets once it has no connection here.</summary>
    public void Forget(string participantId)
    {
        _buckets.TryRemove((participantId, RateLimitKind.Chat), out _);
        _buckets.TryRemove((participantId, RateLimitKind.Vote), out _);
    }

    private sealed class Bucket(double tokens, long refilled)
    {
        public double Tokens { get; set; } = tokens;

        public long Refilled { get; set; } = refilled;
    }
}
