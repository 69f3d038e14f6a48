namespace Collab.Codec;

/// <summary>The one PCM format of Collab voice: 48 kHz, mono, 16-bit.</summary>
public static class VoiceFormat
{
    public const int SampleRate = 48_000;
    public const int Channels = 1;
    public const int SamplesPerMillisecond = SampleRate / 1000;

    /// <summary>Longest frame any Opus packet can hold (120 ms), for decode buffers.</summary>
    public const int MaxFrameSamples = 120 * SamplesPerMillisecond;

    /// <summary>Largest encoded frame we accept or produce (bytes); Opus recommends 1275 per frame.</summary>
    public const int MaxEncodedFrameBytes = 1275;
}
