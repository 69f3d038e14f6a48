using Collab.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collab.Testing;

/// <summary>
/// One hub node on a real Kestrel socket at 127.0.0.1 on a port the OS picks. Several of them on one
/// <see cref="RedisServer"/> make a scale-out deployment.
/// </summary>
public sealed class HubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HubHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node. Settings are configuration keys, e.g. <c>("ConnectionStrings:Redis", redis.ConnectionString)</c>.</summary>
    public static Task<HubHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>Starts a node after <paramref name="configure"/> adjusted its builder (e.g. a logger provider of the test's own).</summary>
    public static async Task<HubHost> StartAsync(Action<WebApplicationBuilder>? configure, params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--environment", "Testing" };
        foreach (var (key, value) in settings)
        {
            args.Add($"--{key}={value}");
        }

        var app = CollabHubApplication.Build([.. args], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new HubHost(app, new Uri(addresses.First()));
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(15) };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
