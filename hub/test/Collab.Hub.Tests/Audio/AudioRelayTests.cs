using Collab.Codec.Packets;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Hub.Tests.Audio;

/// <summary>Voice through one hub node (in-memory state) with real SignalR clients on real Kestrel.</summary>
public sealed class AudioRelayTests
{
    private static readonly (string Key, string Value)[] s_fastFeedback = [("Collab:Audio:FeedbackIntervalMilliseconds", "200")];

    [Theory]
    [InlineData(HubProtocol.MessagePack)]
    [InlineData(HubProtocol.Json)]
    public async Task A_floor_holders_batches_reach_every_other_listener_in_order_and_not_the_speaker(HubProtocol protocol)
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, speakerJoin) = await host.JoinAsync(meeting, "Speaker", protocol: protocol);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: protocol);
        await using var _s = speaker;
        await using var _l = listener;
        var batches = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 20);

        var floor = await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));

        // Paced like a live microphone (one 40 ms frame per message): a burst beyond a listener's queue would drop.
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(ProfileLadder.Standard.FrameMilliseconds));
        foreach (var batch in batches)
        {
            await speaker.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], TestContext.Current.CancellationToken);
            await clock.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }

        await listener.WaitForAsync(c => c.AudioReceived.Count == batches.Count, "every batch");
        Assert.Equal([speakerJoin.ParticipantId], floor.Speakers);
        Assert.Equal(batches, listener.AudioReceived.Select(a => a.Batch));
        Assert.All(listener.AudioReceived, a => Assert.Equal(speakerJoin.ParticipantId, a.SpeakerId));
        Assert.Empty(speaker.AudioReceived);
    }

    [Fact]
    public async Task Heavy_red_batches_and_version_2_packets_with_spread_copies_are_validated_and_relayed_unchanged()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        var batches = SpeechBatches.Encode(ProfileLadder.HeavyRedundant, maxBatches: 4);
        var spread = new byte[AudioPacketFormat.MaxPacketBytes];
        var writer = new AudioPacketWriter(spread, new AudioPacketHeader(10, 28_800, 60, 30, true, 7));
        writer.AddRedundant([0xF8, 1], 60, distance: 3);
        writer.AddRedundant([0xF8, 2], 60, distance: 1);
        batches.Add(AudioBatch.Pack([spread[..writer.Complete([0xF8, 3])]]));

        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        foreach (var batch in batches)
        {
            await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        }

        await listener.WaitForAsync(c => c.AudioReceived.Count == batches.Count, "every batch");
        Assert.Equal(batches, listener.AudioReceived.Select(a => a.Batch));
        Assert.Equal(0x29, batches[^1][3]);
    }

    [Fact]
    public async Task Publishing_without_the_floor_or_while_muted_is_refused_with_a_reason()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (moderator, _) = await host.JoinAsync(meeting, "Mod", moderator: true);
        var (speaker, speakerJoin) = await host.JoinAsync(meeting, "Speaker");
        await using var _m = moderator;
        await using var _s = speaker;
        var batch = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0];

        var floorless = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch));
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        var muted = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetMuted), speakerJoin.ParticipantId, true);
        var whileMuted = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch));
        var retake = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor)));
        var notModerator = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync<FloorView>(nameof(MeetingHub.SetMuted), speakerJoin.ParticipantId, false));

        Assert.StartsWith("floor_required:", floorless.Reason(), StringComparison.Ordinal);
        Assert.Contains(speakerJoin.ParticipantId, muted.Muted);
        Assert.DoesNotContain(speakerJoin.ParticipantId, muted.Speakers);
        Assert.StartsWith("muted:", whileMuted.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("muted:", retake.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("forbidden:", notModerator.Reason(), StringComparison.Ordinal);
        await speaker.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Muted.Contains(speakerJoin.ParticipantId)), "the mute pushed to the speaker");
    }

    [Fact]
    public async Task Open_mic_refuses_the_speaker_beyond_the_maximum_until_one_releases()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var clients = new List<MeetingClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                clients.Add((await host.JoinAsync(meeting, $"P{i}")).Client);
            }

            for (var i = 0; i < 3; i++)
            {
                await clients[i].InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
            }

            var refused = await Assert.ThrowsAsync<HubException>(() => clients[3].InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor)));
            await clients[0].InvokeAsync<FloorView>(nameof(MeetingHub.ReleaseFloor));
            var granted = await clients[3].InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));

            Assert.StartsWith("floor_full:", refused.Reason(), StringComparison.Ordinal);
            Assert.Equal(3, granted.Speakers.Count);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task In_a_moderated_meeting_a_request_raises_the_hand_and_only_a_moderator_grants()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (moderator, _) = await host.JoinAsync(meeting, "Mod", moderator: true);
        var (participant, join) = await host.JoinAsync(meeting, "P");
        await using var _m = moderator;
        await using var _p = participant;

        await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetFloorMode), new SetFloorModeRequest(FloorMode.Moderated, 2));
        var requested = await participant.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var selfGrant = await Assert.ThrowsAsync<HubException>(() => participant.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), join.ParticipantId));
        var granted = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), join.ParticipantId);
        var participants = await moderator.InvokeAsync<IReadOnlyList<Conferencing.Meetings.ParticipantView>>(nameof(MeetingHub.GetParticipants));
        var revoked = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.RevokeFloor), join.ParticipantId);
        var badMode = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetFloorMode), new SetFloorModeRequest(FloorMode.OpenMic, 11)));

        Assert.Equal(FloorMode.Moderated, requested.Mode);
        Assert.Equal([join.ParticipantId], requested.Requests);
        Assert.Empty(requested.Speakers);
        Assert.StartsWith("forbidden:", selfGrant.Reason(), StringComparison.Ordinal);
        Assert.Equal([join.ParticipantId], granted.Speakers);
        Assert.Empty(granted.Requests);
        Assert.True(participants.Single(p => p.ParticipantId == join.ParticipantId).HandRaised);
        Assert.Empty(revoked.Speakers);
        Assert.StartsWith("invalid_input:", badMode.Reason(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_only_listener_gets_no_audio_while_others_do()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (textOnly, _) = await host.JoinAsync(meeting, "Text", protocol: HubProtocol.MessagePack);
        var (listener, _) = await host.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _t = textOnly;
        await using var _l = listener;
        var batches = SpeechBatches.Encode(ProfileLadder.Lifeline, maxBatches: 10);

        await textOnly.InvokeAsync(nameof(MeetingHub.SetAudioReceive), false);
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        foreach (var batch in batches)
        {
            await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        }

        await listener.WaitForAsync(c => c.AudioReceived.Count == batches.Count, "the listener's audio");
        await textOnly.SendChatAsync("after-audio", "sent after the audio");
        await textOnly.WaitForAsync(c => c.ChatReceived.Count == 1, "a chat message behind any audio");
        Assert.Empty(textOnly.AudioReceived);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 3, 1, 2, 3 }, "Packet 1 of the batch")]
    [InlineData(new byte[] { 2, 0, 1 }, "Malformed audio batch")]
    [InlineData(new byte[] { 1, 0, 19, 0x29, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x16, 0, 1, 1, 0x36, 0, 1, 2, 3 }, "strictly decreasing")]
    public async Task Malformed_audio_is_refused_and_the_connection_stays_up(byte[] batch, string reason)
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker");
        await using var _s = speaker;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));

        var error = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch));
        var chat = await speaker.SendChatAsync("still-here", "the connection survived");

        Assert.StartsWith("invalid_input:", error.Reason(), StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason(), StringComparison.Ordinal);
        Assert.Equal("the connection survived", chat.Text);
    }

    [Fact]
    public async Task Listener_reports_reach_the_speaker_aggregated_with_a_measured_round_trip()
    {
        await using var host = await HubHost.StartAsync(s_fastFeedback);
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, speakerJoin) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        var listeners = new List<MeetingClient>();
        try
        {
            double[] losses = [0.01, 0.05, 0.30];
            foreach (var _ in losses)
            {
                listeners.Add((await host.JoinAsync(meeting, "L", protocol: HubProtocol.MessagePack)).Client);
            }

            await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
            await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0]);
            for (var i = 0; i < losses.Length; i++)
            {
                await listeners[i].InvokeAsync(nameof(MeetingHub.ReportReception), new ReceptionReportRequest(speakerJoin.ParticipantId, losses[i], 60, 0.02, 15, losses[i] / 2, 25));
            }

            await speaker.WaitForAsync(c => c.LinkFeedbackReceived.Any(f => f.Listeners == 3), "feedback from three listeners");
            var first = speaker.LinkFeedbackReceived.Last(f => f.Listeners == 3);
            await speaker.InvokeAsync(nameof(MeetingHub.AckLinkFeedback), first.SentAtMs);
            await speaker.WaitForAsync(c => c.LinkFeedbackReceived.Any(f => f.RoundTripMs > 0), "feedback with a round trip");

            Assert.Equal(0.30, first.LossFraction, 1e-9);
            Assert.Equal(0.30, first.WorstLossFraction, 1e-9);
            Assert.Equal(60, first.MeanLossBurstMs);
            Assert.Equal(0.02, first.LateFraction, 1e-9);
            Assert.All(listeners, l => Assert.Empty(l.LinkFeedbackReceived));
            var unknown = await Assert.ThrowsAsync<HubException>(() => listeners[0].InvokeAsync(nameof(MeetingHub.ReportReception), new ReceptionReportRequest(null, 0, 0, 0, 0, 0, 0)));
            Assert.StartsWith("invalid_input:", unknown.Reason(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Audio_that_reaches_the_hub_later_than_it_was_spoken_is_fed_back_as_uplink_delay()
    {
        await using var host = await HubHost.StartAsync(s_fastFeedback);
        var meeting = await host.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, _) = await host.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var batches = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 12);

        // Six batches (480 ms of speech) at once set the baseline; the next ones, sent after a second of silence on the
        // wire but carrying the very next media time, waited at least 500 ms longer somewhere on the way.
        foreach (var batch in batches.Take(6))
        {
            await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        foreach (var batch in batches.Skip(6))
        {
            await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
        }

        await speaker.WaitForAsync(c => c.LinkFeedbackReceived.Any(f => f.UplinkDelayMs >= 500), "feedback with the uplink delay");
    }
}
