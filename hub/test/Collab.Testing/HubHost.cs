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
    private int _disposed;

    private HubHost(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
        Address = addresses.FirstOrDefault(address => address.Scheme == Uri.UriSchemeHttps) ?? addresses[0];
    }

    /// <summary>The node's address: the HTTPS one when it serves HTTPS.</summary>
    public Uri Address { get; }

    /// <summary>Every address Kestrel bound (an HTTP and an HTTPS one when both are configured).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node. Settings are configuration keys, e.g. <c>("ConnectionStrings:Redis", redis.ConnectionString)</c>.</summary>
    public static Task<HubHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(configure: null, settings);

    /// <summary>Starts a node; <paramref name="configure"/> adjusts the builder (a log capture, say) before it is built.</summary>
    public static async Task<HubHost> StartAsync(Action<WebApplicationBuilder>? configure, params (string Key, string Value)[] settings)
    {
        // No media edge (a Node process per node) unless a test asks for one: settings after these win.
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--environment", "Testing", "--Collab:Voice:MediaEdge:Enabled=false" };
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
        return new HubHost(app, [.. addresses.Select(address => new Uri(address))]);
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Stops the node (once: a test may stop one node of a cluster early).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
