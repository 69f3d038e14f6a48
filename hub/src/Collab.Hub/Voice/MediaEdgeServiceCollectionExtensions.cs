using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collab.Hub.Voice;

public static class MediaEdgeServiceCollectionExtensions
{
    /// <summary>
    /// The node's media edge (<see cref="NodeMediaEdge"/>) as this node's <see cref="IMediaEdge"/>, replacing any
    /// earlier registration (the unconfigured edge of <see cref="VoiceServiceCollectionExtensions.AddCollabVoice"/>),
    /// started and stopped with the host, after the node's datagram endpoint (call it after <c>AddCollabHub</c>).
    /// </summary>
    public static IServiceCollection AddCollabMediaEdge(this IServiceCollection services)
    {
        services.AddOptions<MediaEdgeOptions>()
            .BindConfiguration(MediaEdgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IVoiceDatagramAddress>(provider => new VoiceDatagramSocketAddress(provider));
        services.AddSingleton<NodeMediaEdge>();
        services.Replace(ServiceDescriptor.Singleton<IMediaEdge>(provider => provider.GetRequiredService<NodeMediaEdge>()));
        services.AddHostedService(provider => provider.GetRequiredService<NodeMediaEdge>());
        return services;
    }
}
