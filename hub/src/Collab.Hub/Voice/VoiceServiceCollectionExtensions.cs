using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collab.Hub.Voice;

public static class VoiceServiceCollectionExtensions
{
    /// <summary>
    /// The voice datagram endpoint (options <see cref="VoiceDatagramOptions"/>, validated at start), its session table
    /// (dropped with the connection's membership), the audio sink that picks datagram or SignalR per listener, the
    /// <c>OpenVoiceChannel</c> service, and a media edge seam that says it is not configured until an edge replaces it.
    /// </summary>
    public static IServiceCollection AddCollabVoice(this IServiceCollection services)
    {
        services.AddOptions<VoiceDatagramOptions>()
            .BindConfiguration(VoiceDatagramOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IMediaEdge, UnconfiguredMediaEdge>();
        services.AddSingleton<VoiceDatagramClock>();
        services.AddSingleton<VoiceDatagramSessions>();
        services.AddSingleton<Collab.Conferencing.Audio.IMembershipObserver>(provider => provider.GetRequiredService<VoiceDatagramSessions>());
        services.AddSingleton<VoiceMetrics>();
        services.AddSingleton<VoiceDatagramSocket>();
        services.AddSingleton<VoiceDatagramReceiver>();
        services.AddHostedService(provider => provider.GetRequiredService<VoiceDatagramReceiver>());
        services.AddSingleton<SignalRAudioSink>();
        services.AddSingleton<IAudioSink, DatagramAudioSink>();
        services.AddSingleton(provider => new VoiceChannelService(
            provider.GetRequiredService<Collab.Conferencing.ConnectionRegistry>(),
            provider.GetRequiredService<VoiceDatagramSocket>(),
            provider.GetRequiredService<VoiceDatagramSessions>(),
            provider.GetRequiredService<IMediaEdge>()));
        return services;
    }
}
