namespace Collab.Conferencing.Voice;

/// <summary>
/// <c>OpenVoiceChannel</c>'s request: no <see cref="Offer"/> for a .NET client (it sends datagrams itself), or a
/// browser's SDP offer (non-trickle: ICE gathering complete) for the node's media edge to answer.
/// </summary>
public sealed record VoiceChannelRequest(string? Offer = null);

/// <summary>
/// The voice datagram session of the calling connection on this node (hub/PROTOCOL.md, "Voice datagrams"). Without an
/// offer: <see cref="Key"/> and <see cref="Port"/> are set and <see cref="Host"/> is where to send (null: the host the
/// client reached the hub at). With an offer: only <see cref="SessionId"/> and the edge's SDP <see cref="Answer"/> are
/// set; the key stays between the hub and its edge.
/// </summary>
public sealed record VoiceChannelView(byte[] SessionId, byte[]? Key, string? Host, int? Port, string? Answer);

/// <summary>The path voice takes, as clients report it and the hub's metrics tag it.</summary>
public static class VoicePaths
{
    /// <summary>Voice datagrams: a lost packet is just lost.</summary>
    public const string Unreliable = "unreliable";

    /// <summary>The SignalR connection (<c>PublishAudio</c> and <c>AudioReceived</c>): the fallback.</summary>
    public const string SignalR = "signalr";
}
