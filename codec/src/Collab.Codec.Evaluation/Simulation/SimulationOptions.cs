using Collab.Codec.Adaptation;
using Collab.Codec.Jitter;
using Collab.Codec.Opus;
using Collab.Codec.Profiles;

namespace Collab.Codec.Simulation;

/// <summary>One simulated speaker-to-listener link.</summary>
public sealed record SimulationOptions
{
    /// <summary>The profile to send with, or null for <c>auto</c>: the link adapter decides from receiver reports.</summary>
    public VoiceProfile? FixedProfile { get; init; }

    public required ILossModel Loss { get; init; }

    /// <summary>Constant one-way delay of every message.</summary>
    public double OneWayDelayMilliseconds { get; init; } = 50;

    /// <summary>How often the listener reports reception to the speaker's adapter (auto only).</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public OpusBackendPreference Backend { get; init; } = OpusBackendPreference.Auto;

    public LinkAdapterOptions? Adapter { get; init; }

    public JitterBufferOptions? JitterBuffer { get; init; }
}
