using System.Net;
using System.Net.Sockets;

namespace Collab.LoadGenerator.Tests;

/// <summary>A loopback TCP server for the proxy to forward to: echoes, discards, or sends a fixed payload and closes.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _bytesReceived;

    private LoopbackServer(Func<Socket, CancellationToken, Task> serve)
    {
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = AcceptAsync(serve);
    }

    public Uri Address { get; }

    public static LoopbackServer Echo() => new(async (socket, stop) =>
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
        }
    });

    /// <summary>Bytes a discarding server has received so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Reads and throws away whatever arrives, as fast as it comes, counting it.</summary>
    public static LoopbackServer Discarding()
    {
        LoopbackServer? server = null;
        server = new(async (socket, stop) =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
            {
                Interlocked.Add(ref server!._bytesReceived, read);
            }
        });
        return server;
    }

    public static LoopbackServer Sending(byte[] payload) => new(async (socket, stop) =>
    {
        await socket.SendAsync(payload, SocketFlags.None, stop);
        socket.Shutdown(SocketShutdown.Send);
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        try
                        {
                            await serve(socket, _stop.Token);
                        }
                        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
                        {
                            // The client went away.
                        }
                    }
                });
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
