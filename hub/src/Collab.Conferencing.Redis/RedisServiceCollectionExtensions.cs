using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Everything Redis, when <c>ConnectionStrings:Redis</c> is set: the <see cref="CollabRedisOptions"/>, one shared
    /// <see cref="IConnectionMultiplexer"/>, the Redis stores and buses in place of the in-memory ones (so call it after
    /// <c>AddCollabConferencing</c>), the SignalR Redis backplane over the same multiplexer, and the <c>redis</c> health
    /// check with <paramref name="healthCheckTags"/>. Without a connection string it registers only the options: the
    /// hub keeps its state in memory. The connection never aborts on failure: the hub starts while Redis is down and
    /// reconnects when it returns.
    /// </summary>
    public static ISignalRServerBuilder AddCollabRedis(this ISignalRServerBuilder signalR, IConfiguration configuration, params string[] healthCheckTags)
    {
        var services = signalR.Services;
        services.AddOptions<CollabRedisOptions>()
            .BindConfiguration(CollabRedisOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = configuration.GetConnectionString(CollabRedisOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return signalR;
        }

        services.AddSingleton<IConnectionMultiplexer>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<CollabRedisOptions>>().Value;
            var logger = provider.GetRequiredService<ILogger<RedisConnectionEvents>>();
            var multiplexer = ConnectionMultiplexer.Connect(BuildConfiguration(connectionString, options));
            RedisConnectionEvents.Attach(multiplexer, logger);
            return multiplexer;
        });
        services.AddCollabConferencingRedis(provider => provider.GetRequiredService<IOptions<CollabRedisOptions>>().Value.ChannelPrefix);
        signalR.AddStackExchangeRedis();
        services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>()
            .Configure<IServiceProvider>((backplane, provider) =>
                backplane.ConnectionFactory = _ => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: healthCheckTags);
        return signalR;
    }

    /// <summary>
    /// Where the hub finds Redis, without the password or any other secret of the connection string; null when
    /// <c>ConnectionStrings:Redis</c> is not set (the hub runs alone, in memory).
    /// </summary>
    public static string? DescribeCollabRedis(this IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(CollabRedisOptions.ConnectionStringName);
        return string.IsNullOrWhiteSpace(connectionString) ? null : Describe(ConfigurationOptions.Parse(connectionString));
    }

    private static string Describe(ConfigurationOptions configuration)
    {
        var endpoints = string.Join(", ", configuration.EndPoints.Select(endpoint => endpoint.ToString()));
        return string.IsNullOrEmpty(configuration.ServiceName)
            ? $"state and fan-out through {endpoints}"
            : $"state and fan-out through the primary that Sentinel ({endpoints}) names for service {configuration.ServiceName}";
    }

    private static ConfigurationOptions BuildConfiguration(string connectionString, CollabRedisOptions options)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        // While Redis is down, fail commands at once instead of queueing them: the caller gets a clear "not
        // confirmed, retry" instead of a stall, and nothing is reported accepted that Redis never stored.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        configuration.ChannelPrefix = RedisChannel.Literal(options.ChannelPrefix);
        configuration.ClientName ??= "collab-hub";
        return configuration;
    }
}
