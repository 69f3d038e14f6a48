using System.Buffers;
using Collab.Codec.Profiles;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Collab.Hub.Tests.Audio;

/// <summary>
/// What one speaker's voice costs in SignalR hub-protocol bytes (the MessagePack invocation messages exactly as the
/// server and the .NET client write them), per profile, on the committed speech sample with DTX on. Deterministic:
/// it counts bytes, it does not time anything.
/// </summary>
public sealed class AudioWireCostTests
{
    private const string ParticipantId = "3gb9756xvabpxj6h";

    public static TheoryData<string> Rungs => [.. ProfileLadder.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Rungs))]
    public void Voice_costs_at_most_10_kbps_at_the_lowest_rung_and_24_kbps_at_the_default_upstream_and_per_listener(string rung)
    {
        Assert.True(ProfileLadder.TryGetByName(rung, out var profile));
        var batches = SpeechBatches.Encode(profile);
        var seconds = SpeechBatches.Speech.Length / 48_000.0;
        var protocol = new MessagePackHubProtocol();

        var upstream = batches.Sum(batch => Size(protocol, new InvocationMessage(nameof(MeetingHub.PublishAudio), [batch])));
        var downstream = batches.Sum(batch => Size(protocol, new InvocationMessage(nameof(IMeetingClient.AudioReceived), [ParticipantId, batch])));
        var upKbps = upstream * 8 / 1000.0 / seconds;
        var downKbps = downstream * 8 / 1000.0 / seconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"{rung}: {batches.Count / seconds:0.0} messages/s, upstream {upKbps:0.00} kbit/s, downstream {downKbps:0.00} kbit/s per listener");

        var limit = profile == ProfileLadder.Lifeline ? 10 : profile == ProfileLadder.Default ? 24 : double.MaxValue;
        Assert.True(upKbps <= limit, $"{rung} upstream {upKbps:0.00} kbit/s > {limit}");
        Assert.True(downKbps <= limit, $"{rung} downstream {downKbps:0.00} kbit/s > {limit}");
        Assert.True(downKbps >= upKbps, "the speaker id makes each pushed message larger than the published one");
    }

    private static long Size(IHubProtocol protocol, HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(message, buffer);
        return buffer.WrittenCount;
    }
}
