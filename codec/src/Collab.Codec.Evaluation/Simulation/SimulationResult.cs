using Collab.Codec.Jitter;

namespace Collab.Codec.Simulation;

/// <summary>What a simulated link did to the speech: cost, loss handling, and the time-aligned received signal.</summary>
public sealed record SimulationResult
{
    public required string Profile { get; init; }

    /// <summary>Opus bytes sent (primary and redundant frames) per second of speech.</summary>
    public required double OpusKilobitsPerSecond { get; init; }

    /// <summary>Collab audio packet bytes sent (what rides in hub messages) per second.</summary>
    public required double PayloadKilobitsPerSecond { get; init; }

    /// <summary>Payload plus the per-message overhead of SignalR, WebSocket, TLS and TCP/IP.</summary>
    public required double WireKilobitsPerSecond { get; init; }

    public required long MessagesSent { get; init; }

    public required long MessagesLost { get; init; }

    public required JitterBufferStatistics Receiver { get; init; }

    /// <summary>Lost frames played as concealment and frames not played on time (stalls), as a share of media frames.</summary>
    public double ConcealedFraction => Receiver.ConcealedFraction;

    /// <summary>Lost frames rebuilt from FEC or redundancy, as a share of lost frames.</summary>
    public double RecoveredFraction
    {
        get
        {
            var recovered = Receiver.FramesRecoveredFec + Receiver.FramesRecoveredRedundancy;
            var lost = recovered + Receiver.FramesConcealed;
            return lost == 0 ? 0 : recovered / (double)lost;
        }
    }

    /// <summary>Profile switches the adapter made (auto only), with the media time they took effect.</summary>
    public required IReadOnlyList<(double AtMilliseconds, string Profile)> ProfileChanges { get; init; }

    /// <summary>The received speech, placed at its media time so it lines up sample by sample with what was sent.</summary>
    public required short[] Received { get; init; }
}
