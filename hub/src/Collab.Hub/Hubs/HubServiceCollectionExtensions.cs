using System.Text.Json.Serialization;
using Collab.Conferencing;
using Collab.Conferencing.Redis;
using Collab.Hub.Api;
using Collab.Hub.Health;
using Collab.Hub.Voice;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Hubs;

public static class HubServiceCollectionExtensions
{
    /// <summary>
    /// Registers the conferencing services, the meeting hub (JSON and MessagePack, every transport) and, when
    /// <c>ConnectionStrings:Redis</c> is set, everything Redis (<see cref="RedisServiceCollectionExtensions.AddCollabRedis"/>:
    /// the shared multiplexer, the Redis stores, the SignalR Redis backplane and the readiness check).
    /// </summary>
    public static IServiceCollection AddCollabHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubTransportOptions>()
            .BindConfiguration(HubTransportOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HubOptions>().Configure<IOptions<HubTransportOptions>>((hub, transport) =>
        {
            hub.KeepAliveInterval = TimeSpan.FromSeconds(transport.Value.KeepAliveSeconds);
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(transport.Value.ClientTimeoutSeconds);
            hub.HandshakeTimeout = TimeSpan.FromSeconds(transport.Value.HandshakeTimeoutSeconds);
            hub.MaximumReceiveMessageSize = transport.Value.MaximumReceiveMessageSizeBytes;
            hub.StatefulReconnectBufferSize = transport.Value.StatefulReconnectBufferBytes;
            hub.EnableDetailedErrors = false;
        });

        services.AddCollabProblemDetails();
        services.AddCollabMeetingCreation();
        services.AddCollabConferencing();
        services.AddSingleton<IMeetingNotifier, SignalRMeetingNotifier>();
        services.AddSingleton<Collab.Conferencing.Qa.IQaNotifier, SignalRQaNotifier>();
        services.AddSingleton<Collab.Conferencing.Moderation.IModerationNotifier, SignalRModerationNotifier>();
        services.AddCollabVoice();
        services.AddSingleton<SignalRParticipantNotifier>();
        services.AddSingleton<Collab.Conferencing.Participants.IParticipantChangeNotifier>(provider => provider.GetRequiredService<SignalRParticipantNotifier>());
        services.AddSingleton<Collab.Conferencing.Speakers.ISpeakersNotifier>(provider => provider.GetRequiredService<SignalRParticipantNotifier>());
        services.AddSingleton<Collab.Conferencing.Rooms.IRoomNotifier, Rooms.SignalRRoomNotifier>();
        services.AddSingleton<ConferencingHubFilter>();
        services.AddSingleton<Lobby.ConnectionDirectory>();
        services.AddSingleton<Lobby.ConnectionLifetimeFilter>();
        services.AddSingleton<Collab.Conferencing.Lobby.ILobbyNotifier, Lobby.SignalRLobbyNotifier>();

        services.AddSignalR(options =>
            {
                options.AddFilter<ConferencingHubFilter>();
                options.AddFilter<Lobby.ConnectionLifetimeFilter>();
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddMessagePackProtocol()
            .AddCollabRedis(configuration, HealthTags.Ready);

        return services;
    }

    /// <summary>
    /// Maps the hub with every transport (WebSockets, then Server-Sent Events, then long polling) and allows stateful
    /// reconnects, so a client that opts in rides out a brief drop on the same connection without losing a push.
    /// </summary>
    public static IEndpointRouteBuilder MapCollabHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<MeetingHub>(MeetingHub.Path, options =>
        {
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
            options.AllowStatefulReconnects = true;
        });
        return endpoints;
    }
}
