using Collab.Codec;
using Collab.Codec.Audio;
using Collab.Codec.Profiles;

namespace Collab.Codec.Benchmarks;

/// <summary>The committed speech sample cut into frames of one profile, so every benchmark codes real speech.</summary>
internal static class SpeechFrames
{
    private static readonly short[] s_pcm = WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav"));

    public static short[][] For(VoiceProfile profile) =>
        [.. Enumerable.Range(0, s_pcm.Length / profile.SamplesPerFrame)
            .Select(i => s_pcm.AsSpan(i * profile.SamplesPerFrame, profile.SamplesPerFrame).ToArray())];

    public static IEnumerable<string> Rungs => ProfileLadder.All.Select(p => p.Name);

    public static VoiceProfile Profile(string rung) =>
        ProfileLadder.TryGetByName(rung, out var profile) ? profile with { Dtx = false } : throw new ArgumentException(rung);

    public static int MaxEncoded => VoiceFormat.MaxEncodedFrameBytes;
}
