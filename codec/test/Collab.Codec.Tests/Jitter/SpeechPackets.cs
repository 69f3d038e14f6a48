using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests.Jitter;

/// <summary>Consecutive packets of the speech sample for one profile, DTX off so every frame is a packet.</summary>
internal static class SpeechPackets
{
    public static List<byte[]> Encode(VoiceProfile profile, int count, int startMilliseconds = 500)
    {
        using var sender = new VoiceSender(profile with { Dtx = false });
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var packets = new List<byte[]>();
        var position = startMilliseconds * VoiceFormat.SamplesPerMillisecond;
        for (var i = 0; i < count; i++, position += profile.SamplesPerFrame)
        {
            packets.Add(buffer[..sender.EncodeFrame(SpeechSample.Pcm.AsSpan(position, profile.SamplesPerFrame), buffer)]);
        }

        return packets;
    }
}
