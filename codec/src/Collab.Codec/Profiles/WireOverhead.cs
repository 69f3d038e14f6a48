namespace Collab.Codec.Profiles;

/// <summary>
/// What one hub message costs beyond its audio packets. Measured for Collab's path (see codec/README.md):
/// SignalR MessagePack invocation framing ≈ 25 B, WebSocket frame header 2–6 B (+4 B mask upstream),
/// TLS record 22–29 B, TCP/IP 40 B (IPv4, no options) plus a share of the pure ACKs going the other way.
/// 20 ms packets at 12 kb/s then cost ≈ 50 kbit/s on the wire, 60 ms packets ≈ 25 kbit/s, matching the
/// published figures the team uses (shared/NETWORK-PROFILES.md).
/// </summary>
public static class WireOverhead
{
    public const int BytesPerMessage = 95;
}
