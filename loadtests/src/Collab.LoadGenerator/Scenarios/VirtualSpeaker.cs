using Collab.Codec.Adaptation;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// A participant speaking the speech sample in a loop on a real-time clock, its profile chosen by the codec's link
/// adapter from the hub's link feedback (listeners' reception, round trip, and the uplink delay the hub measures) and
/// from its own send backlog: when the link cannot carry the audio, batches queue on the way (the hub's uplink delay
/// grows) and, once the socket is full, sends wait and the loop falls behind real time; either makes the adapter step
/// down; while the hub's uplink delay stays up the link is saturated, and what it carried then (the wire bytes sent,
/// headers included, less what the queue grew by: <see cref="UplinkCapacityEstimator"/>) is the capacity the adapter
/// keeps its rungs within.
/// Frames more than <see cref="DropAfterMilliseconds"/> late are encoded but not sent, as a real client drops stale
/// audio rather than queueing it.
/// </summary>
internal sealed class VirtualSpeaker(VirtualParticipant participant, int index, RunStatistics stats, short[] speech)
{
    public const double DropAfterMilliseconds = 400;

    private readonly LinkAdapter _adapter = new();
    private readonly UplinkCapacityEstimator _capacity = new();
    private readonly Lock _gate = new();
    private double _backlogMilliseconds;
    private long _bytesSent;
    private long _messagesSent;

    public async Task RunAsync(CancellationToken stop)
    {
        var speechOffset = index * 24_000;
        var spoken = new SpokenAudio(speech, speechOffset);
        using var sender = new VoiceSender(_adapter.Current);
        spoken.LookaheadSamples = sender.LookaheadSamples;
        stats.Speakers[participant.ParticipantId] = spoken;
        using var feedback = participant.Connection.OnLinkFeedback(view => OnFeedback(view, sender, spoken));
        try
        {
            await SpeakAsync(sender, spoken, speechOffset, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (Exception exception)
        {
            stats.Error("speaker", exception);
        }
    }

    private async Task SpeakAsync(VoiceSender sender, SpokenAudio spoken, int position, CancellationToken stop)
    {
        var packet = new byte[AudioPacketFormat.MaxPacketBytes];
        var pending = new List<byte[]>();
        var nextAt = stats.NowMilliseconds;
        var holdsFloor = false;
        while (!stop.IsCancellationRequested)
        {
            if (!holdsFloor || participant.Connection.State != HubConnectionState.Connected)
            {
                // After a reconnect the floor is gone (given back on disconnect): wait, take it again, resume the clock.
                await participant.WaitConnectedAsync(stop);
                holdsFloor = await TryTakeFloorAsync(stop);
                nextAt = stats.NowMilliseconds;
                pending.Clear();
                continue;
            }

            VoiceProfile profile;
            int length;
            lock (sender)
            {
                profile = sender.Profile;
                var frame = new short[profile.SamplesPerFrame];
                for (var i = 0; i < frame.Length; i++)
                {
                    frame[i] = speech[(position + i) % speech.Length];
                }

                position = (position + frame.Length) % speech.Length;
                spoken.Spoken(sender.NextTimestamp, nextAt - profile.FrameMilliseconds);
                length = sender.EncodeFrame(frame, packet);
            }

            nextAt += profile.FrameMilliseconds;
            var lag = stats.NowMilliseconds - nextAt;
            Volatile.Write(ref _backlogMilliseconds, Math.Max(0, lag));
            if (length > 0 && lag < DropAfterMilliseconds)
            {
                pending.Add(packet[..length]);
            }

            if (pending.Count >= profile.FramesPerMessage)
            {
                holdsFloor = await PublishAsync(pending, spoken, stop);
                pending.Clear();
            }

            var wait = nextAt - stats.NowMilliseconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
            }
        }
    }

    /// <summary>Sends one batch; false when the link dropped (the floor must be taken again).</summary>
    private async Task<bool> PublishAsync(List<byte[]> packets, SpokenAudio spoken, CancellationToken stop)
    {
        var batch = AudioBatch.Pack(packets);
        var sentAt = stats.NowMilliseconds;
        foreach (var packet in packets)
        {
            if (AudioPacketFormat.TryReadHeader(packet, out var header, out _))
            {
                spoken.Sent(header.Sequence, sentAt);
            }
        }

        try
        {
            await participant.PublishAudioAsync(batch, stop);
        }
        catch (InvalidOperationException)
        {
            // The link dropped between the check and the send.
            return false;
        }

        var now = stats.NowMilliseconds;
        stats.SpeakerBytesPerSecond[index].Add(now, batch.Length);
        lock (_gate)
        {
            _bytesSent += batch.Length;
            _messagesSent++;
        }

        return true;
    }

    private void OnFeedback(LinkFeedbackView view, VoiceSender sender, SpokenAudio spoken)
    {
        LinkDecision decision;
        lock (_gate)
        {
            // The hub sees the uplink's queue (in the socket and the bottleneck) before this loop falls behind.
            var backlog = Math.Max(Volatile.Read(ref _backlogMilliseconds), view.UplinkDelayMs);
            // The hub's figure, not the loop's lag: audio the loop never sent is not in the link's queue.
            var capacity = _capacity.Update(UplinkCapacityEstimator.WireKilobits(_bytesSent, _messagesSent), stats.NowMilliseconds, view.UplinkDelayMs);
            var report = new LinkReport(view.LossFraction, view.MeanLossBurstMs, view.LateFraction, view.JitterMs, view.RoundTripMs, backlog, capacity, view.Listeners == 0 ? 0 : 25);
            decision = _adapter.Update(report, TimeSpan.FromMilliseconds(stats.NowMilliseconds));
        }

        lock (sender)
        {
            sender.Apply(decision.Profile, decision.ExpectedLossPercent);
            spoken.LookaheadSamples = sender.LookaheadSamples;
        }

        if (decision.Changed)
        {
            stats.ProfileChanges.Enqueue(new ProfileChange(stats.NowMilliseconds / 1000, index, decision.Profile.Name, decision.Profile.NominalPayloadKilobitsPerSecond));
        }

        _ = participant.Connection.AckLinkFeedbackAsync(view.SentAtMs);
    }

    private async Task<bool> TryTakeFloorAsync(CancellationToken stop)
    {
        try
        {
            await participant.Connection.RequestFloorAsync(stop);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            stats.Error("speaker taking the floor", exception);
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
            return false;
        }
    }
}
