using Microsoft.Extensions.Logging;

namespace Collab.Conferencing.Redis;

/// <summary>Redis store logs, event ids 3000–3999.</summary>
internal static partial class RedisStoreLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Redis store operation {Operation} failed: Redis is unreachable or did not answer")]
    public static partial void Unavailable(ILogger logger, string operation, Exception exception);
}
