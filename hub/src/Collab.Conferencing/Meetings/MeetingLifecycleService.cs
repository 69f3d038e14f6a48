using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>
/// Keeps a deployment's meetings bounded over time. Every <see cref="ConferencingOptions.LifecycleSweepSeconds"/> each
/// node marks the meetings it serves as occupied, ends live meetings nobody has been in for
/// <see cref="ConferencingOptions.IdleMeetingEndMinutes"/> (on any node: the first sweep to see one ends it), and
/// evicts ended meetings whose <see cref="ConferencingOptions.EndedMeetingRetentionHours"/> has passed from the
/// in-memory stores (Redis expires their keys itself).
/// </summary>
public sealed class MeetingLifecycleService(
    ConnectionRegistry registry,
    IMeetingLifecycleStore lifecycle,
    MeetingService meetings,
    IEnumerable<IMeetingEviction> evictions,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<MeetingLifecycleService> logger) : BackgroundService
{
    private const int SweepBatch = 500;

    /// <summary>One sweep (the timer's work; tests call it with a fake clock).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var serving = registry.Participants().Select(session => session.MeetingId).Distinct(StringComparer.Ordinal).ToList();
        if (serving.Count > 0)
        {
            await lifecycle.MarkOccupiedAsync(serving, now.ToUnixTimeMilliseconds(), cancellationToken);
        }

        var idleSince = now.AddMinutes(-options.Value.IdleMeetingEndMinutes).ToUnixTimeMilliseconds();
        foreach (var meetingId in await lifecycle.ListIdleAsync(idleSince, SweepBatch, cancellationToken))
        {
            if (await meetings.EndIfEmptyAsync(meetingId, cancellationToken))
            {
                ConferencingLog.IdleMeetingEnded(logger, meetingId, options.Value.IdleMeetingEndMinutes);
            }
            else
            {
                await lifecycle.MarkOccupiedAsync([meetingId], now.ToUnixTimeMilliseconds(), cancellationToken);
            }
        }

        var endedBefore = now.AddHours(-options.Value.EndedMeetingRetentionHours).ToUnixTimeMilliseconds();
        foreach (var meetingId in await lifecycle.TakeExpiredAsync(endedBefore, SweepBatch, cancellationToken))
        {
            foreach (var eviction in evictions)
            {
                await eviction.EvictAsync(meetingId, cancellationToken);
            }

            ConferencingLog.MeetingEvicted(logger, meetingId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LifecycleSweepSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    ConferencingLog.LifecycleSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
