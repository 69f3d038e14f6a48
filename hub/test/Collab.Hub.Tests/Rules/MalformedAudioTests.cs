using Collab.Codec.Packets;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Tests.Rules;

public sealed class MalformedAudioTests(RedisServer redis)
{
    public static TheoryData<byte[], string> BadPackets => new()
    {
        { [0x1D, 0, 0, 9, 0, 0, 0, 0, 20, 0, 0xF8, 0xFF], "at most 2 redundant frames; it says 3" },
        { [0x15, 0, 0, 9, 0, 0, 0, 0, 20, 0, 20, 0], "ends inside a redundant block header" },
        { [0x15, 0, 0, 9, 0, 0, 0, 0, 20, 0, 20, 0, 40, 1, 2, 3], "Redundant block 1 is malformed (duration 20 ms, length 40 B)" },
    };

    [Theory]
    [MemberData(nameof(BadPackets))]
    public async Task A_batch_with_one_malformed_packet_is_refused_whole_and_reaches_no_listener_on_either_node(byte[] bad, string reason)
    {
        await using var deployment = await Deployment.StartAsync(true, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Voice", TestContext.Current.CancellationToken);
        var (speaker, _) = await deployment.B.JoinAsync(meeting, "Speaker", protocol: HubProtocol.MessagePack);
        await using var _s = speaker;
        var (onA, _) = await deployment.A.JoinAsync(meeting, "Listener A", protocol: HubProtocol.MessagePack);
        await using var _a = onA;
        var (onB, _) = await deployment.B.JoinAsync(meeting, "Listener B", protocol: HubProtocol.MessagePack);
        await using var _b = onB;
        await speaker.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        var good = SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0];
        var firstGood = AudioBatch.Packets(good).GetEnumerator();
        Assert.True(firstGood.MoveNext());
        var mixed = AudioBatch.Pack([firstGood.Current.ToArray(), bad]);

        var refused = await Assert.ThrowsAsync<HubException>(() => speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), mixed));
        await speaker.InvokeAsync(nameof(MeetingHub.PublishAudio), good);

        Assert.StartsWith("invalid_input: Malformed audio batch: Packet 2 of the batch:", refused.Reason(), StringComparison.Ordinal);
        Assert.Contains(reason, refused.Reason(), StringComparison.Ordinal);
        foreach (var listener in new[] { onA, onB })
        {
            // Batches of one speaker arrive in order, so the good one arriving first proves the bad one never went out.
            await listener.WaitForAsync(c => c.AudioReceived.Count >= 1, "the well-formed batch");
            Assert.Equal(good, Assert.Single(listener.AudioReceived).Batch);
        }
    }
}
