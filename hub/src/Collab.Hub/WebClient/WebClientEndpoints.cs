namespace Collab.Hub.WebClient;

/// <summary>
/// Serves the web client (web/, built into wwwroot) from the build's static web assets: each file with the brotli and
/// gzip copies the .NET build makes of it (Content-Encoding negotiated, ETags). Everything under <c>app/</c> is named
/// by its content hash, so browsers may keep it for good; the page itself (index.html, at "/") is revalidated so a new
/// build reaches them at once.
/// </summary>
internal static class WebClientEndpoints
{
    private const string HashedPrefix = "app/";
    private const string ReloadAtRuntime = "ReloadStaticAssetsAtRuntime";
    private const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>
    /// Lets a hub run from its build output (not only a publish) find the assets: the build's manifest maps them to
    /// wwwroot and to the compressed copies under obj/. A published hub has no such manifest and reads its wwwroot.
    /// Serving a build's manifest otherwise turns on ASP.NET Core's development handler, which recompresses each file
    /// on the fly without compression: off unless configured (<c>ReloadStaticAssetsAtRuntime</c>).
    /// </summary>
    public static WebApplicationBuilder AddWebClient(this WebApplicationBuilder builder)
    {
        // By the hub's own name, not the application's: a test host names the application after itself.
        var runtimeManifest = Manifest("runtime");
        if (builder.Configuration[WebHostDefaults.StaticWebAssetsKey] is null && File.Exists(runtimeManifest))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, runtimeManifest);
        }

        builder.WebHost.UseStaticWebAssets();
        builder.Configuration[ReloadAtRuntime] ??= "false";
        return builder;
    }

    /// <summary>"/" is the page: rewritten to index.html before routing picks its endpoint.</summary>
    public static WebApplication UseWebClient(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseRouting();
        return app;
    }

    /// <summary>Maps the bundle's files; a hub built without them (no manifest next to it) serves no web client.</summary>
    public static void MapWebClient(this IEndpointRouteBuilder endpoints)
    {
        var manifest = Manifest("endpoints");
        if (!File.Exists(manifest))
        {
            return;
        }

        endpoints.MapStaticAssets(manifest).Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } route } || endpoint.RequestDelegate is not { } serve
                || !route.TrimStart('/').StartsWith(HashedPrefix, StringComparison.Ordinal))
            {
                return;
            }

            endpoint.RequestDelegate = context =>
            {
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
                    {
                        context.Response.Headers.CacheControl = Immutable;
                    }

                    return Task.CompletedTask;
                });
                return serve(context);
            };
        });
    }

    private static string Manifest(string kind) =>
        Path.Combine(AppContext.BaseDirectory, $"{typeof(WebClientEndpoints).Assembly.GetName().Name}.staticwebassets.{kind}.json");
}
