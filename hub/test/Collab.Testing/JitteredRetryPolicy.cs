using Collab.Conferencing.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Testing;

/// <summary>
/// The reconnect policy hub/PROTOCOL.md asks of clients (<see cref="MeetingReconnectPolicy"/>, the client's one
/// formula) with a test's own base and maximum delay, so a reconnect test finishes in seconds.
/// </summary>
public sealed class JitteredRetryPolicy(TimeSpan baseDelay, TimeSpan maxDelay) : IRetryPolicy
{
    private readonly MeetingReconnectPolicy _policy = new(baseDelay, maxDelay);

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => _policy.NextRetryDelay(retryContext);
}
