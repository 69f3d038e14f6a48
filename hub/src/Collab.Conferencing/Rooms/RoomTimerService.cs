using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Rooms;

/// <summary>
/// Closes rooms whose timer ran out. Every node sweeps; the store hands each due room to exactly one of them, so a
/// room closes once even if the node that created it is gone.
/// </summary>
public sealed partial class RoomTimerService(IRoomStore store, RoomService rooms, IOptions<RoomOptions> options, TimeProvider time, ILogger<RoomTimerService> logger) : BackgroundService
{
    private const int MaxPerSweep = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TimerSweepMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var due in await store.TakeDueAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), MaxPerSweep, cancellationToken))
            {
                await rooms.CloseDueAsync(due, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is ConferencingException or TimeoutException)
        {
            SweepFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "Closing rooms whose timer ran out failed; the next sweep tries again")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
