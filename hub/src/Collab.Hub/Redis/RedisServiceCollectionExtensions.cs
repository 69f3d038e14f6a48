using Collab.Hub.Health;
using Collab.Hub.Startup;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Hub.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers a shared <see cref="IConnectionMultiplexer"/> when <c>ConnectionStrings:Redis</c> is set.
    /// The connection never aborts on failure: the hub starts while Redis is down and reconnects when it returns.
    /// </summary>
    public static IServiceCollection AddCollabRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = configuration.GetConnectionString(RedisOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton(new FeatureStatus("Redis", false, "no ConnectionStrings:Redis: meetings live in this process's memory and this node is the whole deployment"));
            return services;
        }

        services.AddSingleton(new FeatureStatus("Redis", true, Describe(ConfigurationOptions.Parse(connectionString))));

        services.AddSingleton<IConnectionMultiplexer>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RedisOptions>>().Value;
            var logger = provider.GetRequiredService<ILogger<RedisConnectionEvents>>();
            var multiplexer = ConnectionMultiplexer.Connect(BuildConfiguration(connectionString, options));
            RedisConnectionEvents.Attach(multiplexer, logger);
            return multiplexer;
        });
        return services;
    }

    public static IHealthChecksBuilder AddCollabRedisCheck(this IHealthChecksBuilder builder, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisOptions.ConnectionStringName)))
        {
            return builder;
        }

        return builder.AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
    }

    /// <summary>Where the hub finds Redis, without the password or any other secret of the connection string.</summary>
    internal static string Describe(ConfigurationOptions configuration)
    {
        var endpoints = string.Join(", ", configuration.EndPoints.Select(endpoint => endpoint.ToString()));
        return string.IsNullOrEmpty(configuration.ServiceName)
            ? $"state and fan-out through {endpoints}"
            : $"state and fan-out through the primary that Sentinel ({endpoints}) names for service {configuration.ServiceName}";
    }

    internal static ConfigurationOptions BuildConfiguration(string connectionString, RedisOptions options)
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
