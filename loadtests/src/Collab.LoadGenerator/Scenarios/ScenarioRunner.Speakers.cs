using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.Conferencing.Speakers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// speakers-list: a UN-style plenary. Every participant asks to speak at the same moment (a burst of list changes,
/// each pushed to the whole meeting, coalesced); once all are answered the moderator reads the queue, then hands the
/// floor to the next every turn until the run ends (each turn a floor change and a list change for everyone).
/// </summary>
internal sealed partial class ScenarioRunner
{
    private async Task RunSpeakersAsync(VirtualParticipant moderator, IReadOnlyList<VirtualParticipant> crowd, TimeSpan turn, CancellationToken stop)
    {
        var stats = _stats.SpeakersList;
        try
        {
            await moderator.Connection.SetFloorModeAsync(new SetFloorModeRequest(FloorMode.Moderated, 1), stop);
            await Task.WhenAll(crowd.Select(participant => participant.AskToSpeakAsync(stop)));
            stats.QueueAtStart = [.. (await moderator.Connection.GetSpeakersAsync(stop)).Queue.Select(q => q.ParticipantId)];
            progress($"{stats.Places.Count} asked to speak; the list holds {stats.QueueAtStart.Count}");
            using var timer = new PeriodicTimer(turn);
            for (var next = 0; next < stats.QueueAtStart.Count && await timer.WaitForNextTickAsync(stop); next++)
            {
                stats.GivenAt.TryAdd(stats.QueueAtStart[next], _stats.NowMilliseconds);
                var view = await moderator.Connection.NextSpeakerAsync(stop);
                if (view.CurrentSpeakerId is { } current)
                {
                    stats.Given.Enqueue(current);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>After the drain: the speaking time the hub measured (the last turn still running counts up to now).</summary>
    private async Task ReadSpeakingTimeAsync(VirtualParticipant moderator, CancellationToken cancellationToken)
    {
        var view = await moderator.Connection.GetSpeakersAsync(cancellationToken);
        _stats.SpeakersList.SpeakingMilliseconds = view.Times.Sum(t => t.TotalMs + (t.SpeakingSinceUnixMs is { } since ? Math.Max(0, view.ServerNowUnixMs - since) : 0));
    }
}
