namespace Collab.Codec.Opus;

/// <summary>Which Opus implementation runs a codec: native libopus through Concentus, or Concentus's managed port.</summary>
public enum OpusBackend
{
    Managed,
    Native,
}

/// <summary>Which backend a caller asks for.</summary>
public enum OpusBackendPreference
{
    /// <summary>Native libopus when <c>libopus.so</c> loads (faster, no garbage), managed otherwise.</summary>
    Auto,

    /// <summary>Always the managed port (portable; allocates per frame).</summary>
    Managed,

    /// <summary>Native libopus, or an exception when it cannot be loaded.</summary>
    Native,
}
