using System.Text.Json.Serialization;
using Collab.Hub.Hubs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Conferencing.Client;

/// <summary>The hub protocol a client speaks (hub/PROTOCOL.md section 2); the hub serves both.</summary>
public enum MeetingHubProtocol
{
    Json,
    MessagePack,
}

/// <summary>How <see cref="MeetingHubConnection.Build"/> connects; the defaults are what a phone client uses.</summary>
public sealed record MeetingConnectionOptions
{
    public MeetingHubProtocol Protocol { get; init; } = MeetingHubProtocol.MessagePack;

    /// <summary>The transports to try, in the hub's order (WebSockets, Server-Sent Events, long polling).</summary>
    public HttpTransportType Transports { get; init; } = HttpTransportType.WebSockets;

    /// <summary>WebSockets straight away, without the negotiate round trip (only with <see cref="HttpTransportType.WebSockets"/> alone).</summary>
    public bool SkipNegotiation { get; init; }

    /// <summary>Automatic reconnect with this policy (<see cref="MeetingReconnectPolicy"/>); null: none, the caller reconnects.</summary>
    public IRetryPolicy? Reconnect { get; init; }

    /// <summary>Resume the same connection after a brief drop (WebSockets only; the hub allows it).</summary>
    public bool StatefulReconnect { get; init; }

    /// <summary>How long without a message from the hub before the connection is considered lost; null: SignalR's default.</summary>
    public TimeSpan? ServerTimeout { get; init; }

    /// <summary>How often the client pings the hub; keep it at most half the hub's client timeout. Null: SignalR's default.</summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>The hub's path on the server: the meeting hub's unless another hub speaks the same way (the bare baseline hub).</summary>
    public string Path { get; init; } = IMeetingHub.Path;

    /// <summary>Anything else of the HTTP connection (buffer sizes, a socket factory); applied after the settings above.</summary>
    public Action<HttpConnectionOptions>? ConfigureHttp { get; init; }
}

/// <summary>Builds a connection to the meeting hub; the one place every .NET caller does so.</summary>
public static class MeetingHubConnection
{
    /// <summary>A connection (not started) to the hub at <see cref="MeetingConnectionOptions.Path"/> under <paramref name="server"/>.</summary>
    public static HubConnection Build(Uri server, MeetingConnectionOptions? options = null)
    {
        options ??= new MeetingConnectionOptions();
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, options.Path), http =>
            {
                http.Transports = options.Transports;
                http.SkipNegotiation = options.SkipNegotiation;
                options.ConfigureHttp?.Invoke(http);
            });
        if (options.Reconnect is not null)
        {
            builder.WithAutomaticReconnect(options.Reconnect);
        }

        if (options.StatefulReconnect)
        {
            builder.WithStatefulReconnect();
        }

        if (options.Protocol == MeetingHubProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            // The hub writes enums as their names (PROTOCOL.md: "role": "Moderator").
            builder.AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        }

        var connection = builder.Build();
        if (options.ServerTimeout is { } serverTimeout)
        {
            connection.ServerTimeout = serverTimeout;
        }

        if (options.KeepAliveInterval is { } keepAlive)
        {
            connection.KeepAliveInterval = keepAlive;
        }

        return connection;
    }
}
