namespace Collab.Hub.Voice;

/// <summary>
/// This node's WebRTC media edge: it ends a browser's unordered, no-retransmit data channel and carries the channel's
/// messages to and from the node's voice datagram endpoint with the browser's session key, so a browser's voice takes
/// the same unreliable path as a .NET client's (hub/PROTOCOL.md, "Voice datagrams").
/// </summary>
public interface IMediaEdge
{
    /// <summary>Why the edge is not running on this node (said once in the log, and in every refused offer); null while it runs.</summary>
    string? Unavailable { get; }

    /// <summary>Hands the edge a browser's SDP offer (non-trickle) with its datagram session, and returns the edge's SDP answer.</summary>
    Task<string> AnswerAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> key, string offer, CancellationToken cancellationToken = default);

    /// <summary>Tells the edge the session is gone (the connection left or opened a new channel); best effort.</summary>
    Task CloseAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken = default);
}
