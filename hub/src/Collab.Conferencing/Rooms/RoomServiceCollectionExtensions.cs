using Collab.Conferencing.Audio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collab.Conferencing.Rooms;

internal static class RoomServiceCollectionExtensions
{
    /// <summary>Discussion rooms (the stores are registered with the others; the host supplies <see cref="IRoomNotifier"/>).</summary>
    public static IServiceCollection AddCollabRooms(this IServiceCollection services)
    {
        services.AddOptions<RoomOptions>()
            .BindConfiguration(RoomOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<RoomsPushCoalescer>();
        services.TryAddSingleton<RoomMoves>();
        services.TryAddSingleton<RoomService>();
        // After the audio relay and the floor: a joining connection enters its scope group once its listener exists.
        services.AddSingleton<IMembershipObserver>(provider => provider.GetRequiredService<RoomMoves>());
        services.AddSingleton<IMeetingEndObserver>(provider => provider.GetRequiredService<RoomService>());
        services.AddHostedService<RoomSignalsListener>();
        services.TryAddSingleton<RoomTimerService>();
        services.AddHostedService(provider => provider.GetRequiredService<RoomTimerService>());
        return services;
    }
}
