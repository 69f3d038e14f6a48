using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collab.Hub.Voice;

public static class MediaEdgeServiceCollectionExtensions
{
    /// <summary>
    /// The node's media edge (<see cref="NodeMediaEdge"/>) as this node's <see cref="IMediaEdge"/>, replacing any
    /// earlier registration, started and stopped with the host. Until a datagram endpoint registers its
    /// <see cref="IVoiceDatagramAddress"/>, datagrams are off and so is the edge.
    /// </summary>
    public static IServiceCollection AddCollabMediaEdge(this IServiceCollection services)
    {
        services.AddOptions<MediaEdgeOptions>()
            .BindConfiguration(MediaEdgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IVoiceDatagramAddress>(new VoiceDatagramsOff("this hub has no voice datagram endpoint"));
        services.AddSingleton<NodeMediaEdge>();
        services.Replace(ServiceDescriptor.Singleton<IMediaEdge>(provider => provider.GetRequiredService<NodeMediaEdge>()));
        services.AddHostedService(provider => provider.GetRequiredService<NodeMediaEdge>());
        return services;
    }
}
