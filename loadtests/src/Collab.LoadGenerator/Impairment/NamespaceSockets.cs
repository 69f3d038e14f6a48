using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// TCP connections that live in another network namespace: the socket is created while the calling thread has joined
/// that namespace (setns affects only the thread), then the thread returns to its own. A socket stays in the namespace
/// it was created in, so one process can run participants behind many namespaces, each with its own kernel-shaped link.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Points a SignalR connection's negotiation and WebSocket at sockets created in <paramref name="namespaceName"/>.</summary>
    public static void Apply(HttpConnectionOptions options, string namespaceName)
    {
#pragma warning disable CA2000 // The connection's HTTP client owns and disposes the handler.
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(namespaceName, context.DnsEndPoint, cancellationToken),
        };
#pragma warning restore CA2000
        options.HttpMessageHandlerFactory = _ => handler;
        options.WebSocketFactory = async (context, cancellationToken) =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(context.Uri, new HttpMessageInvoker(handler, disposeHandler: false), cancellationToken);
            return socket;
        };
    }

    public static async ValueTask<Stream> ConnectAsync(string namespaceName, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        Socket? socket = Create(namespaceName);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(endPoint.Host), endPoint.Port, cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            socket = null;
            return stream;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>A TCP socket created inside the named namespace (one made by <c>ip netns add</c>).</summary>
    public static Socket Create(string namespaceName)
    {
        using var own = File.OpenHandle("/proc/thread-self/ns/net");
        using var target = File.OpenHandle($"/var/run/netns/{namespaceName}");
        if (SetNamespace((int)target.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"Could not enter network namespace {namespaceName} (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            return new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }
        finally
        {
            if (SetNamespace((int)own.DangerousGetHandle(), CloneNewNet) != 0)
            {
                // A thread-pool thread left in a participant's namespace would misroute whatever runs on it next.
                Environment.FailFast($"Could not return to this process's network namespace (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int namespaceType);
}
