namespace Collab.Codec.Profiles;

/// <summary>
/// What one hub message costs on the uplink beyond its audio packets, for Collab's path (see codec/README.md):
/// SignalR MessagePack invocation framing ≈ 25 B and a WebSocket client frame header of 8 B (2 B, 2 B of extended
/// length from 126 B, 4 B of mask), then, per TCP segment (one message is one segment at voice rates), a TLS 1.2
/// AES-GCM record of 29 B, TCP 32 B (20 B and the 12 B timestamp option Linux, Windows and iOS negotiate) and IPv4
/// 20 B — what the load generator's impairment proxy charges per segment (<c>LinkDirection.SegmentOverheadBytes</c>).
/// 20 ms packets at 12 kb/s then cost ≈ 55 kbit/s on the wire, 60 ms packets ≈ 28 kbit/s (shared/NETWORK-PROFILES.md
/// gives ≈ 50 and ≈ 25 without the timestamp option).
/// </summary>
public static class WireOverhead
{
    /// <summary>SignalR MessagePack framing and the WebSocket frame header: bytes inside the TCP stream.</summary>
    public const int FramingBytesPerMessage = 25 + 8;

    /// <summary>TLS record, TCP and IPv4 headers of the segment that carries a message.</summary>
    public const int SegmentHeaderBytes = 29 + 32 + 20;

    public const int BytesPerMessage = FramingBytesPerMessage + SegmentHeaderBytes;
}
