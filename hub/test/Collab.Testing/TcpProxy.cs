using System.Net.Sockets;
using Collab.TcpForwarding;

namespace Collab.Testing;

/// <summary>
/// A loopback TCP forwarder in front of a hub node that can cut the link like venue Wi-Fi does: <see cref="Cut"/>
/// resets every open connection and refuses new ones until <see cref="Restore"/>. Accepting, pairing and resetting
/// are <see cref="TcpForwarder"/>'s (shared with the load generator's impairment proxy); this class adds the cut and
/// the stall.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpForwarder _forwarder;
    private volatile bool _cut;
    private volatile TaskCompletionSource? _stall;

    public TcpProxy(Uri target) =>
        _forwarder = new TcpForwarder(
            target,
            (client, server, stop) => Task.WhenAny(PumpAsync(client, server, stallable: false, stop), PumpAsync(server, client, stallable: true, stop)),
            refuse: () => _cut,
            // Small buffers on the hub-facing socket, so a stall backs the hub up after kilobytes rather than megabytes.
            configure: (_, server) => server.ReceiveBufferSize = 4096);

    public Uri Address => _forwarder.Address;

    /// <summary>Resets every open connection (RST, as a dropped link looks to both ends) and refuses new ones.</summary>
    public void Cut()
    {
        _cut = true;
        Reset();
    }

    /// <summary>Resets every open connection but keeps accepting new ones: a blip rather than an outage.</summary>
    public void Reset() => _forwarder.ResetAll();

    public void Restore() => _cut = false;

    /// <summary>
    /// Stops reading what the hub sends (a listener whose link cannot keep up): the hub's writes back up once the
    /// small socket buffers fill, while the connection stays open. <see cref="Resume"/> reads again.
    /// </summary>
    public void Stall() => _stall ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => Interlocked.Exchange(ref _stall, null)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _cut = true;
        await _forwarder.DisposeAsync();
    }

    private async Task PumpAsync(Socket from, Socket to, bool stallable, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while (true)
            {
                if (stallable && _stall is { } stall)
                {
                    await stall.Task.WaitAsync(stop);
                }

                if ((read = await from.ReceiveAsync(buffer, SocketFlags.None, stop)) <= 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the caller closes both.
        }
    }
}
