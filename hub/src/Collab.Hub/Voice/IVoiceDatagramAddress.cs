using System.Net;

namespace Collab.Hub.Voice;

/// <summary>
/// Where this node's voice datagram endpoint receives: the media edge sends its browsers' datagrams there. The
/// endpoint implements it; until one is registered, <see cref="VoiceDatagramsOff"/> says datagrams are off.
/// </summary>
public interface IVoiceDatagramAddress
{
    /// <summary>
    /// Completes with the endpoint's bound UDP address once it listens, or null when voice datagrams are off on this
    /// node (<see cref="OffReason"/> says why).
    /// </summary>
    Task<IPEndPoint?> LocalEndPointAsync(CancellationToken cancellationToken);

    /// <summary>Why voice datagrams are off on this node; null while they are on (or starting).</summary>
    string? OffReason { get; }
}

/// <summary>No datagram endpoint on this node: the media edge has nothing to carry browsers' voice to.</summary>
public sealed class VoiceDatagramsOff(string reason) : IVoiceDatagramAddress
{
    public string? OffReason => reason;

    public Task<IPEndPoint?> LocalEndPointAsync(CancellationToken cancellationToken) => Task.FromResult<IPEndPoint?>(null);
}

/// <summary>
/// The node's own datagram endpoint (<see cref="VoiceDatagramSocket"/>, bound when its receiver starts; that hosted
/// service is registered, so started, before the media edge's). The socket is looked up when the edge starts, not
/// when it is made: the socket's metrics read the session table, which closes sessions on the media edge.
/// </summary>
internal sealed class VoiceDatagramSocketAddress(IServiceProvider services) : IVoiceDatagramAddress
{
    private VoiceDatagramSocket Socket => services.GetRequiredService<VoiceDatagramSocket>();

    public string? OffReason => Socket.LocalEndPoint is null ? Socket.Unavailable : null;

    public Task<IPEndPoint?> LocalEndPointAsync(CancellationToken cancellationToken) => Task.FromResult(Socket.LocalEndPoint);
}
