using Collab.Hub.Api;
using Collab.Hub.Health;
using Collab.Hub.Https;
using Collab.Hub.Hubs;
using Collab.Hub.Redis;
using Collab.Hub.Startup;
using Collab.Hub.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Collab.Hub;

/// <summary>
/// Builds the hub's web application. Program.cs runs it; tests build it with their own arguments
/// (a loopback URL, a Redis connection string) and run it on a real Kestrel socket.
/// </summary>
public static class CollabHubApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddCollabRedis(builder.Configuration);
        builder.Services.AddCollabHub(builder.Configuration);
        builder.Services.AddHealthChecks().AddCollabRedisCheck(builder.Configuration);
        builder.Services.AddCollabHttps(builder.Configuration);
        builder.Services.AddCollabTelemetry(builder.Configuration);
        builder.Services.AddCollabStartupReport();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseCollabHttps();
        // The web client (web/, bundled into wwwroot by the build) at "/".
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Asset URLs carry a content hash (?v=...), so they may be cached for good; anything else, the page
            // above all, is revalidated so a new build reaches browsers at once.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache",
        });
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
