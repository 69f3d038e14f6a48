using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Conferencing.Client;

/// <summary>
/// The reconnect policy of hub/PROTOCOL.md section 7: full-jitter exponential backoff that never gives up, a delay
/// drawn uniformly between 0 and min(<c>maxDelay</c>, <c>baseDelay</c> × 2^attempt); by default 0.5 s and 30 s.
/// It never returns null, so the connection keeps trying until its owner stops it.
/// </summary>
public sealed class MeetingReconnectPolicy : IRetryPolicy
{
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly Random? _random;

    /// <param name="random">The source of the jitter (a seeded one makes a load run repeatable); shared by default.</param>
    public MeetingReconnectPolicy(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Random? random = null)
    {
        _baseDelay = baseDelay ?? DefaultBaseDelay;
        _maxDelay = maxDelay ?? DefaultMaxDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_baseDelay, TimeSpan.Zero, nameof(baseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _baseDelay, nameof(maxDelay));
        _random = random;
    }

    /// <summary>The ceiling of the delay before retry number <paramref name="previousRetryCount"/> + 1.</summary>
    public TimeSpan Ceiling(long previousRetryCount) =>
        TimeSpan.FromMilliseconds(Math.Min(_maxDelay.TotalMilliseconds, _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(previousRetryCount, 30))));

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        var ceiling = Ceiling(retryContext.PreviousRetryCount);
        double fraction;
        if (_random is null)
        {
            fraction = Random.Shared.NextDouble();
        }
        else
        {
            // A caller's Random is not thread-safe; the retries of one connection rarely overlap, but may.
            lock (_random)
            {
                fraction = _random.NextDouble();
            }
        }

        return TimeSpan.FromMilliseconds(fraction * ceiling.TotalMilliseconds);
    }
}
