using Collab.Conferencing.Client;
using Collab.Conferencing.Speakers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>The list of speakers (speakers-list): ask to speak once, retrying through drops (asking again is idempotent); note the pushes.</summary>
internal sealed partial class VirtualParticipant
{
    public async Task AskToSpeakAsync(CancellationToken stop)
    {
        for (var attempt = 0; attempt < 10 && !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(stop);
                patience.CancelAfter(TimeSpan.FromSeconds(30));
                await WaitConnectedAsync(patience.Token);
                var answer = await Connection.AskToSpeakAsync(patience.Token);
                var place = answer.Queue.Select(q => q.ParticipantId).ToList().IndexOf(ParticipantId);
                _stats.SpeakersList.Places[ParticipantId] = place;
                return;
            }
            catch (HubException refused)
            {
                _stats.Error("ask to speak", refused);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // The link dropped mid-call: asking again never places anyone twice.
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), CancellationToken.None);
            }
        }
    }

    private void OnSpeakers(SpeakersView view)
    {
        _stats.SpeakersList.Pushed();
        if (!IsModerator && view.CurrentSpeakerId == ParticipantId && view.Times.Any(t => t.ParticipantId == ParticipantId && t.SpeakingSinceUnixMs is not null))
        {
            _stats.SpeakersList.SeenAt.TryAdd(ParticipantId, _stats.NowMilliseconds);
        }
    }
}
