using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>Logs when this node loses and regains Redis, the moments an operator needs to see.</summary>
internal sealed partial class RedisConnectionEvents
{
    public static void Attach(IConnectionMultiplexer multiplexer, ILogger<RedisConnectionEvents> logger)
    {
        multiplexer.ConnectionFailed += (_, e) => ConnectionFailed(logger, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);
        multiplexer.ConnectionRestored += (_, e) => ConnectionRestored(logger, e.EndPoint?.ToString());
        if (!multiplexer.IsConnected)
        {
            NotConnectedAtStart(logger, string.Join(", ", multiplexer.GetEndPoints().Select(endpoint => endpoint.ToString())));
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Redis connection to {EndPoint} failed ({FailureType})")]
    private static partial void ConnectionFailed(ILogger logger, string? endPoint, string failureType, Exception? exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Redis connection to {EndPoint} restored")]
    private static partial void ConnectionRestored(ILogger logger, string? endPoint);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Redis is not reachable at start ({EndPoints}); the hub starts and keeps retrying")]
    private static partial void NotConnectedAtStart(ILogger logger, string endPoints);
}
