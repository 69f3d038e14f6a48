using Microsoft.Extensions.Logging;

namespace Collab.Conferencing.Pushes;

/// <summary>
/// The one place where "a push is best effort" is written: what a push reports has already been stored, and clients
/// catch up from the store, so a push that fails is logged and counted (<c>collab.pushes.failed</c>, tagged with the
/// push's name) and never fails the call that made it. Only the caller's own cancellation reaches the caller.
/// </summary>
public sealed class BestEffortPushes(ConferencingMetrics metrics, ILogger<BestEffortPushes> logger)
{
    /// <summary>
    /// Runs one push (with whatever it reads first). <paramref name="push"/> names it from a small fixed set (it is a
    /// metric tag): "chat message", "poll tally", "floor"...
    /// </summary>
    public async Task RunAsync(string push, string meetingId, Func<Task> send, CancellationToken cancellationToken = default)
    {
        try
        {
            await send();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            metrics.PushFailed(push);
            ConferencingLog.PushFailed(logger, push, meetingId, exception);
        }
    }
}
