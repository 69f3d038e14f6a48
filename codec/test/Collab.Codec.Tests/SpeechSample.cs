using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests;

/// <summary>The committed real-speech sample (data/make-speech.sh), 48 kHz mono.</summary>
internal static class SpeechSample
{
    private static readonly Lazy<short[]> s_pcm = new(() => WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav")));

    public static short[] Pcm => s_pcm.Value;

    public static IntelligibilityScore Score(ReadOnlySpan<short> received) =>
        SpeechIntelligibility.Score(WaveFiles.ToFloat(Pcm), WaveFiles.ToFloat(received), VoiceFormat.SampleRate);
}
