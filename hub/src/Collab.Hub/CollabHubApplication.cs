using Collab.Conferencing.Redis;
using Collab.Hub.Api;
using Collab.Hub.Health;
using Collab.Hub.Https;
using Collab.Hub.Hubs;
using Collab.Hub.Startup;
using Collab.Hub.Telemetry;
using Collab.Hub.Voice;
using Collab.Hub.WebClient;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Collab.Hub;

/// <summary>
/// Builds the hub's web application. Program.cs runs it; tests build it with their own arguments
/// (a loopback URL, a Redis connection string) and run it on a real Kestrel socket.
/// </summary>
public static class CollabHubApplication
{
    private const string HubDispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // SignalR logs every exception a hub method throws as an error with its stack trace, refusals included.
        // ConferencingHubFilter logs each failed call once instead: a refusal at debug, a fault of the hub's own at error.
        builder.Logging.AddFilter(HubDispatcherCategory, LogLevel.Critical);
        var redis = builder.Configuration.DescribeCollabRedis();
        builder.Services.AddSingleton(redis is null
            ? new FeatureStatus("Redis", false, "no ConnectionStrings:Redis: meetings live in this process's memory and this node is the whole deployment")
            : new FeatureStatus("Redis", true, redis));
        builder.Services.AddCollabHub(builder.Configuration);
        builder.Services.AddCollabMediaEdge();
        builder.Services.AddHealthChecks();
        builder.Services.AddCollabHttps(builder.Configuration);
        builder.Services.AddCollabTelemetry(builder.Configuration);
        builder.Services.AddCollabStartupReport();
        builder.AddWebClient();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseCollabHttps();
        // A bare error status (malformed JSON, unknown route, wrong method) gets a problem details body with a code.
        app.UseStatusCodePages();
        // The web client (web/, bundled into wwwroot by the build) at "/", pre-compressed and fingerprinted; this
        // also routes, so every middleware below sees the chosen endpoint.
        app.UseWebClient();
        // After routing: the rate limiter applies the policy named on the endpoint (meeting creation).
        app.UseRateLimiter();
        app.MapWebClient();
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapCollabTelemetry();
        app.MapMeetingEndpoints();
        app.MapCollabHub();
        return app;
    }
}
