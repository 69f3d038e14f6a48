using Collab.Codec.Intelligibility;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Hub.Tests.ScaleOut;

public sealed class AudioScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Real_speech_from_a_speaker_on_node_A_is_decoded_intelligibly_by_a_listener_on_node_B()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Voice across nodes", Cancel);
        var (speaker, speakerJoin) = await cluster.A.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        var (listener, _) = await cluster.B.JoinAsync(meeting, "Listener", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        await using var _l = listener;
        var profile = ProfileLadder.Standard with { Dtx = false };
        var batches = SpeechBatches.Encode(profile);

        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await listener.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Speakers.Contains(speakerJoin.ParticipantId)), "the floor change on node B");
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        foreach (var batch in batches)
        {
            await speaker.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], Cancel);
            await clock.WaitForNextTickAsync(Cancel);
        }

        await listener.WaitForAsync(c => c.AudioReceived.Count == batches.Count, "every batch on node B");
        Assert.Equal(batches, listener.AudioReceived.Select(a => a.Batch));
        Assert.All(listener.AudioReceived, a => Assert.Equal(speakerJoin.ParticipantId, a.SpeakerId));

        var decoded = SpeechBatches.Decode(listener.AudioReceived.Select(a => a.Batch));
        var lookahead = 312;
        var heard = decoded.AsSpan(lookahead, SpeechBatches.Speech.Length).ToArray();
        var score = SpeechIntelligibility.Score(Codec.Audio.WaveFiles.ToFloat(SpeechBatches.Speech), Codec.Audio.WaveFiles.ToFloat(heard), 48_000);
        Assert.True(score.Stoi >= 0.95, $"STOI {score.Stoi:0.000}");
    }

    [Fact]
    public async Task A_node_whose_members_are_all_text_only_is_not_sent_the_meeting_s_audio()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        await using var redisClient = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var meeting = await cluster.A.CreateMeetingAsync("Voice across nodes", Cancel);
        var (speaker, speakerJoin) = await cluster.A.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        var (reader, _) = await cluster.B.JoinAsync(meeting, "Reader", protocol: HubProtocol.MessagePack);
        await using var _r = reader;
        var batch = SpeechBatches.Encode(ProfileLadder.Standard with { Dtx = false })[0];
        Assert.Equal((2, 2), await SubscribersAsync(redisClient, meeting.MeetingId));

        await reader.InvokeAsync(nameof(MeetingHub.SetAudioReceive), false);
        Assert.Equal((1, 2), await SubscribersAsync(redisClient, meeting.MeetingId));

        // Control still reaches node B (the floor), and turning audio back on brings the audio with it.
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await reader.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Speakers.Contains(speakerJoin.ParticipantId)), "the floor change on node B");
        await reader.InvokeAsync(nameof(MeetingHub.SetAudioReceive), true);
        Assert.Equal((2, 2), await SubscribersAsync(redisClient, meeting.MeetingId));
        await speaker.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], Cancel);
        await reader.WaitForAsync(c => c.AudioReceived.Count == 1, "the batch on node B once it receives audio again");

        await reader.DisposeAsync();
        for (var i = 0; i < 200 && await SubscribersAsync(redisClient, meeting.MeetingId) != (1, 1); i++)
        {
            await Task.Delay(50, Cancel);
        }

        Assert.Equal((1, 1), await SubscribersAsync(redisClient, meeting.MeetingId));
    }

    /// <summary>How many nodes subscribe to the meeting's audio channel and to its control channel (whatever the prefix).</summary>
    private static async Task<(long Audio, long Control)> SubscribersAsync(StackExchange.Redis.ConnectionMultiplexer redisClient, string meetingId)
    {
        var database = redisClient.GetDatabase();
        async Task<long> CountAsync(string suffix)
        {
            var channels = (StackExchange.Redis.RedisResult[])(await database.ExecuteAsync("PUBSUB", "CHANNELS", $"*{suffix}"))!;
            if (channels.Length == 0)
            {
                return 0;
            }

            var counts = (StackExchange.Redis.RedisResult[])(await database.ExecuteAsync("PUBSUB", ["NUMSUB", .. channels.Select(c => (object)c.ToString())]))!;
            return (long)counts[1];
        }

        return (await CountAsync($"audio:{meetingId}"), await CountAsync($"audio:{meetingId}:control"));
    }

    [Fact]
    public async Task A_moderator_on_node_B_mutes_a_speaker_on_node_A_and_the_open_mic_limit_holds_across_nodes()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Voice across nodes", Cancel);
        var (moderator, _) = await cluster.B.JoinAsync(meeting, "Mod", moderator: true);
        var (speaker, speakerJoin) = await cluster.A.JoinAsync(meeting, "Speaker");
        var (onB1, _) = await cluster.B.JoinAsync(meeting, "B1");
        var (onB2, _) = await cluster.B.JoinAsync(meeting, "B2");
        var (onA, _) = await cluster.A.JoinAsync(meeting, "A1");
        await using var _m = moderator;
        await using var _s = speaker;
        await using var _b1 = onB1;
        await using var _b2 = onB2;
        await using var _a = onA;
        var batch = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0];

        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await onB1.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await onB2.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var fourth = await Assert.ThrowsAsync<HubException>(() => onA.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor)));
        await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);

        await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetMuted), speakerJoin.ParticipantId, true);
        await speaker.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Muted.Contains(speakerJoin.ParticipantId)), "the mute reaching node A's client");
        var muted = await PublishUntilRefusedAsync(speaker, batch);

        Assert.StartsWith("floor_full:", fourth.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("muted:", muted.Reason(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The mute reaches node A's floor cache over the audio bus and the client over the backplane, two paths with no
    /// order between them: publish until node A refuses, for at most 5 s.
    /// </summary>
    private static async Task<HubException> PublishUntilRefusedAsync(MeetingClient speaker, byte[] batch)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            try
            {
                await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), batch);
            }
            catch (HubException refused)
            {
                return refused;
            }
        }
        while (await poll.WaitForNextTickAsync(deadline.Token));

        throw new TimeoutException("Node A kept relaying a muted speaker.");
    }
}
