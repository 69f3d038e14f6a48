using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Audio;

/// <summary>Sends this node's speakers their link feedback every <see cref="AudioOptions.FeedbackIntervalMilliseconds"/>.</summary>
public sealed class LinkFeedbackService(AudioRelay relay, IOptions<AudioOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.FeedbackIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await relay.SendFeedbackAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
