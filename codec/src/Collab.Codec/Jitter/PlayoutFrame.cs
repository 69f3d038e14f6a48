namespace Collab.Codec.Jitter;

/// <summary>What one pull of the jitter buffer produced.</summary>
public enum PlayoutKind
{
    /// <summary>Nothing to play yet (filling to the target delay): silence, media time does not advance.</summary>
    Buffering,

    /// <summary>A received frame, decoded.</summary>
    Decoded,

    /// <summary>A lost frame rebuilt from the next packet's in-band FEC.</summary>
    RecoveredFec,

    /// <summary>A lost frame rebuilt from a redundant copy carried by a later packet.</summary>
    RecoveredRedundancy,

    /// <summary>A lost frame (a later one had arrived) filled by packet-loss concealment.</summary>
    Concealed,

    /// <summary>DTX silence the sender chose not to send: comfort silence, not a loss.</summary>
    Silence,

    /// <summary>Nothing has arrived (a stall): concealment, then silence; media time waits for the late packets.</summary>
    Underrun,
}

/// <summary>
/// One pull's result: its kind, the media timestamp it covers (on the unwrapped 48 kHz clock; -1 when media time did
/// not advance) and the samples written.
/// </summary>
public readonly record struct PlayoutFrame(PlayoutKind Kind, long Timestamp, int Samples);
