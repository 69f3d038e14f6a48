using Collab.Codec;
using Collab.Codec.Audio;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Testing;

/// <summary>
/// Real speech (the codec's committed sample, copied next to the test assembly as data/speech-48k.wav) encoded with a
/// profile into the hub messages a speaker would send: audio batches of <see cref="VoiceProfile.FramesPerMessage"/>
/// packets each.
/// </summary>
public static class SpeechBatches
{
    private static readonly Lazy<short[]> s_speech = new(() => WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav")));

    public static short[] Speech => s_speech.Value;

    public static List<byte[]> Encode(VoiceProfile profile, int? maxBatches = null)
    {
        using var sender = new VoiceSender(profile);
        var packet = new byte[AudioPacketFormat.MaxPacketBytes];
        var pending = new List<byte[]>();
        var batches = new List<byte[]>();
        var frame = new short[profile.SamplesPerFrame];
        for (var position = 0; position < Speech.Length && (maxBatches is null || batches.Count < maxBatches); position += frame.Length)
        {
            Array.Clear(frame);
            Speech.AsSpan(position, Math.Min(frame.Length, Speech.Length - position)).CopyTo(frame);
            var length = sender.EncodeFrame(frame, packet);
            if (length > 0)
            {
                pending.Add(packet[..length]);
            }

            if (pending.Count == profile.FramesPerMessage)
            {
                batches.Add(Batch(pending));
                pending.Clear();
            }
        }

        if (pending.Count > 0 && (maxBatches is null || batches.Count < maxBatches))
        {
            batches.Add(Batch(pending));
        }

        return batches;
    }

    public static byte[] Batch(IReadOnlyList<byte[]> packets) => AudioBatch.Pack(packets);

    /// <summary>Decodes batches in order with one decoder, as a listener without loss would, aligned with the speech.</summary>
    public static short[] Decode(IEnumerable<byte[]> batches)
    {
        using var decoder = new Codec.Opus.VoiceDecoder();
        var output = new List<short>();
        var pcm = new short[VoiceFormat.MaxFrameSamples];
        foreach (var batch in batches)
        {
            foreach (var packet in AudioBatch.Packets(batch))
            {
                Assert(AudioPacketFormat.TryRead(packet, out var reader, out var error), error);
                var samples = decoder.Decode(reader.Primary, pcm);
                output.AddRange(pcm.AsSpan(0, samples));
            }
        }

        return [.. output];
    }

    private static void Assert(bool condition, string? error)
    {
        if (!condition)
        {
            throw new InvalidOperationException(error);
        }
    }
}
