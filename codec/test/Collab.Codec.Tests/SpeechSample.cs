using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;

namespace Collab.Codec.Tests;

/// <summary>The committed real-speech samples (data/make-speech.sh), 48 kHz mono.</summary>
internal static class SpeechSample
{
    private static readonly Lazy<short[]> s_pcm = new(() => Read("speech-48k.wav"));
    private static readonly Lazy<short[]> s_second = new(() => Read("speech2-48k.wav"));

    /// <summary>The main sample: two American English voices.</summary>
    public static short[] Pcm => s_pcm.Value;

    /// <summary>A second, different sample (other voices, words and pace) for targets that must not fit one recording.</summary>
    public static short[] Second => s_second.Value;

    public static short[] Named(string file) => file == "speech2-48k.wav" ? Second : Pcm;

    public static IntelligibilityScore Score(ReadOnlySpan<short> received) => Score(Pcm, received);

    public static IntelligibilityScore Score(ReadOnlySpan<short> sent, ReadOnlySpan<short> received) =>
        SpeechIntelligibility.Score(WaveFiles.ToFloat(sent), WaveFiles.ToFloat(received), VoiceFormat.SampleRate);

    private static short[] Read(string file) => WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", file));
}
