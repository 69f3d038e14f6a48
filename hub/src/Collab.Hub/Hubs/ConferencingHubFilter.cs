using System.Collections.Concurrent;
using System.Reflection;
using Collab.Conferencing;
using Collab.Conferencing.Limits;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Hubs;

/// <summary>
/// Cross-cutting work around every hub call: per-participant rate limits for methods marked with
/// <see cref="ParticipantRateLimitAttribute"/>, and domain refusals turned into a <see cref="HubException"/>
/// ("code: reason") so the caller sees why while its connection stays up.
/// </summary>
internal sealed partial class ConferencingHubFilter(
    ConnectionRegistry registry,
    ParticipantRateLimiter rateLimiter,
    ConferencingMetrics metrics,
    ILogger<ConferencingHubFilter> logger) : IHubFilter
{
    // Looked up once per hub method: PublishAudio passes through here dozens of times a second per speaker.
    private readonly ConcurrentDictionary<MethodInfo, ParticipantRateLimitAttribute?> _limits = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            if (_limits.GetOrAdd(invocationContext.HubMethod, method => method.GetCustomAttribute<ParticipantRateLimitAttribute>()) is { } limit
                && registry.Find(invocationContext.Context.ConnectionId) is { } session)
            {
                rateLimiter.Acquire(session.ParticipantId, limit.Kind);
            }

            return await next(invocationContext);
        }
        catch (ConferencingException exception)
        {
            metrics.CallRejected(exception.Code);
            CallRejected(logger, invocationContext.HubMethodName, exception.Code, invocationContext.Context.ConnectionId);
            throw new HubException($"{exception.Code}: {exception.Message}");
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Hub call {Method} refused ({Code}) for connection {ConnectionId}")]
    private static partial void CallRejected(ILogger logger, string method, string code, string connectionId);
}
