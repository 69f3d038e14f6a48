namespace Collab.Codec.Profiles;

/// <summary>The widest audio band a profile lets the encoder use (Opus bandwidths, without Opus types).</summary>
public enum AudioBandwidth
{
    /// <summary>4 kHz audio bandwidth (8 kHz sampling). The only band where in-band FEC engages at 16 kb/s.</summary>
    Narrowband,

    /// <summary>6 kHz audio bandwidth.</summary>
    Mediumband,

    /// <summary>8 kHz audio bandwidth (16 kHz sampling): the voice band of "HD voice".</summary>
    Wideband,

    /// <summary>12 kHz audio bandwidth.</summary>
    SuperWideband,

    /// <summary>20 kHz audio bandwidth.</summary>
    Fullband,
}
