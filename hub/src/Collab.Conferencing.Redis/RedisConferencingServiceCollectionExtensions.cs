using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

internal static class RedisConferencingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with Redis stores over the registered <see cref="StackExchange.Redis.IConnectionMultiplexer"/>;
    /// <paramref name="keyPrefix"/> gives the prefix of every key (the deployment's channel prefix). Part of
    /// <see cref="RedisServiceCollectionExtensions.AddCollabRedis"/>; a new Redis store is registered here.
    /// </summary>
    internal static IServiceCollection AddCollabConferencingRedis(this IServiceCollection services, Func<IServiceProvider, string> keyPrefix)
    {
        services.TryAddSingleton(provider => new RedisKeys(keyPrefix(provider)));
        services.Replace(ServiceDescriptor.Singleton<IMeetingStore, RedisMeetingStore>());
        services.Replace(ServiceDescriptor.Singleton<IChatStore, RedisChatStore>());
        services.Replace(ServiceDescriptor.Singleton<IPollStore, RedisPollStore>());
        services.Replace(ServiceDescriptor.Singleton<IPresenceStore, RedisPresenceStore>());
        services.Replace(ServiceDescriptor.Singleton<IJoinAttemptStore, RedisJoinAttemptStore>());
        services.Replace(ServiceDescriptor.Singleton<Limits.IRateLimitStore, RedisRateLimitStore>());
        services.Replace(ServiceDescriptor.Singleton<IMeetingLifecycleStore, RedisMeetingLifecycleStore>());
        // Ending a meeting sets its retention as the expiry of every key, so nothing is evicted by hand.
        services.RemoveAll<IMeetingEviction>();
        services.Replace(ServiceDescriptor.Singleton<Audio.IFloorStore, RedisFloorStore>());
        services.Replace(ServiceDescriptor.Singleton<Qa.IQuestionStore, RedisQuestionStore>());
        services.Replace(ServiceDescriptor.Singleton<Audio.IAudioBus, RedisAudioBus>());
        services.Replace(ServiceDescriptor.Singleton<Lobby.ILobbyStore, RedisLobbyStore>());
        services.TryAddSingleton<RedisNodeSignals>();
        services.Replace(ServiceDescriptor.Singleton<Lobby.IAccessSignals, RedisAccessSignals>());
        services.Replace(ServiceDescriptor.Singleton<Speakers.ISpeakerStore, RedisSpeakerStore>());
        services.Replace(ServiceDescriptor.Singleton<Rooms.IRoomStore, RedisRoomStore>());
        services.Replace(ServiceDescriptor.Singleton<Rooms.IRoomSignals, RedisRoomSignals>());
        return services;
    }
}
