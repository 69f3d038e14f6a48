using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Runs a Redis operation and turns "Redis is unreachable or did not answer" into an <c>unavailable</c> refusal. The
/// caller is told the request was not confirmed; chat sends and votes are idempotent, so retrying is always safe.
/// </summary>
internal static class RedisCall
{
    public const string UnavailableMessage =
        "The meeting's shared state (Redis) is unreachable, so this request was not confirmed. Retry it: chat sends and votes are idempotent.";

    public static async Task<T> RunAsync<T>(ILogger logger, string operation, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException || IsTransientServerError(exception))
        {
            RedisStoreLog.Unavailable(logger, operation, exception);
            throw ConferencingException.Unavailable(UnavailableMessage, exception);
        }
    }

    public static Task RunAsync(ILogger logger, string operation, Func<Task> action) =>
        RunAsync(logger, operation, async () =>
        {
            await action();
            return true;
        });

    private static bool IsTransientServerError(Exception exception) =>
        exception is RedisServerException server
        && (server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal));
}
