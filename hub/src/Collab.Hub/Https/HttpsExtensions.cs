using Collab.Hub.Startup;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Https;

public static class HttpsExtensions
{
    /// <summary>
    /// Turns on HSTS and the HTTP → HTTPS redirect when the hub is configured to serve HTTPS: an https URL in
    /// <c>Kestrel:Endpoints:*:Url</c>, <c>Urls</c> or <c>HTTPS_PORTS</c>. Kestrel itself loads the certificate
    /// (<c>Kestrel:Endpoints:NAME:Certificate:Path</c> and <c>KeyPath</c>, PEM).
    /// </summary>
    public static IServiceCollection AddCollabHttps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpsOptions>()
            .BindConfiguration(HttpsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var enabled = IsHttpsConfigured(configuration);
        services.AddSingleton(new HttpsState(enabled));
        services.AddSingleton(enabled
            ? new FeatureStatus("HTTPS", true, "HTTP redirects to HTTPS and responses carry HSTS (Collab:Https)")
            : new FeatureStatus("HTTPS", false, "no https endpoint configured (Kestrel:Endpoints:Https:Url with Certificate:Path and KeyPath, README \"HTTPS\"); browsers on other devices allow the microphone only on https pages, so serve HTTPS here or behind a TLS proxy"));
        services.AddHsts(_ => { });
        services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) =>
        {
            hsts.MaxAge = TimeSpan.FromDays(https.Value.HstsMaxAgeDays);
            hsts.IncludeSubDomains = https.Value.HstsIncludeSubDomains;
        });
        return services;
    }

    /// <summary>HSTS on every HTTPS response and the redirect for plain HTTP requests, when HTTPS is on.</summary>
    public static WebApplication UseCollabHttps(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<HttpsState>().Enabled)
        {
            return app;
        }

        // UseHsts sends the header on HTTPS responses only, and never for localhost, 127.0.0.1 or [::1], so a
        // developer's browser does not pin localhost to HTTPS for a year.
        app.UseHsts();
        if (app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value.RedirectHttp)
        {
            // Probes (kubelet, compose) ask over plain HTTP and expect an answer, not a redirect.
            app.UseWhen(
                context => !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz"),
                branch => branch.UseHttpsRedirection());
        }

        return app;
    }

    internal static bool IsHttpsConfigured(IConfiguration configuration)
    {
        // Kestrel's configured endpoints replace Urls and HTTPS_PORTS when there are any.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        return endpoints.Count > 0
            ? endpoints.Any(endpoint => IsHttps(endpoint["Url"]))
            : (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(IsHttps)
              || !string.IsNullOrWhiteSpace(configuration["https_ports"]);
    }

    private static bool IsHttps(string? url) => url?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    private sealed record HttpsState(bool Enabled);
}
