using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Testing;

/// <summary>
/// The reconnect policy hub/PROTOCOL.md asks of clients: full-jitter exponential backoff, capped, that never gives up
/// (it never returns null, so the connection keeps trying while the page is open).
/// </summary>
public sealed class JitteredRetryPolicy(TimeSpan baseDelay, TimeSpan maxDelay) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryContext.PreviousRetryCount, 20)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
