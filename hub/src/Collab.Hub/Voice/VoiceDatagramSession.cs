using System.Net;
using Collab.Conferencing.Voice;

namespace Collab.Hub.Voice;

/// <summary>Which path audio to a listener takes right now.</summary>
internal enum VoiceRoute
{
    SignalR,
    Both,
    Datagram,
}

/// <summary>
/// One connection's voice datagram session on this node: its key (one cipher for the receive loop, one for senders),
/// the replay window of what the client sent, the client's UDP endpoint as last seen, and when the hub last heard it.
/// </summary>
internal sealed class VoiceDatagramSession : IDisposable
{
    private readonly object _sealGate = new();
    private readonly VoiceDatagramCipher _opener;
    private readonly VoiceDatagramCipher _sealer;
    private ulong _sent;
    private long _lastHeard;
    private long _liveSince;
    private bool _disposed;

    public VoiceDatagramSession(string connectionId, byte[] id, byte[] key)
    {
        ConnectionId = connectionId;
        IdBytes = id;
        Key = key;
        _opener = new VoiceDatagramCipher(id, key);
        _sealer = new VoiceDatagramCipher(id, key);
        Id = _opener.SessionId;
    }

    public string ConnectionId { get; }

    public ulong Id { get; }

    public byte[] IdBytes { get; }

    public byte[] Key { get; }

    /// <summary>Where the client's datagrams came from last (null until the first authenticated one).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>The client's counters seen (the receive loop's alone).</summary>
    public VoiceReplayWindow Replay { get; } = new();

    /// <summary>Opens a client's datagram (the receive loop's alone); false when it fails the tag or the session is gone.</summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, Span<byte> payload, out VoiceDatagramHeader header, out int written)
    {
        try
        {
            return _opener.TryOpen(datagram, VoiceDatagramDirection.ClientToHub, payload, out header, out written);
        }
        catch (ObjectDisposedException)
        {
            header = default;
            written = 0;
            return false;
        }
    }

    /// <summary>An authenticated datagram arrived from <paramref name="from"/> (the latest endpoint wins: NAT rebinding).</summary>
    public void Heard(IPEndPoint from, long now, long liveness)
    {
        var last = Volatile.Read(ref _lastHeard);
        if (last == 0 || now - last >= liveness)
        {
            Volatile.Write(ref _liveSince, now);
        }

        Endpoint = from;
        Volatile.Write(ref _lastHeard, now);
    }

    /// <summary>
    /// Live (heard within <paramref name="liveness"/>): by datagram, and by SignalR too for <paramref name="overlap"/>
    /// after it became live and in the last <paramref name="overlap"/> before its liveness lapses; otherwise SignalR.
    /// </summary>
    public VoiceRoute Route(long now, long liveness, long overlap)
    {
        var last = Volatile.Read(ref _lastHeard);
        if (last == 0 || Endpoint is null || now - last >= liveness)
        {
            return VoiceRoute.SignalR;
        }

        return now - Volatile.Read(ref _liveSince) < overlap || now - last >= liveness - overlap ? VoiceRoute.Both : VoiceRoute.Datagram;
    }

    /// <summary>Seals the next hub-to-client datagram; 0 when the session is gone.</summary>
    public int Seal(VoiceDatagramType type, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        lock (_sealGate)
        {
            return _disposed ? 0 : _sealer.Seal(++_sent, VoiceDatagramDirection.HubToClient, type, payload, destination);
        }
    }

    public void Dispose()
    {
        lock (_sealGate)
        {
            _disposed = true;
            _sealer.Dispose();
        }

        _opener.Dispose();
    }
}
