using Collab.Conferencing.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Collab.Hub.Startup;

/// <summary>
/// Says at start-up what an operator must know before the first participant arrives: the URLs served (with this
/// machine's network addresses when bound to all interfaces), and which optional parts are on or off and why.
/// Taking <see cref="ResumeTokens"/> here creates it at start, so its missing-key warning is logged now, not at the
/// first join.
/// </summary>
internal sealed partial class StartupReport(
    IServer server,
    IHostApplicationLifetime lifetime,
    ResumeTokens resumeTokens,
    IEnumerable<FeatureStatus> features,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = resumeTokens.IsKeyEphemeral;
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var url in ServedUrls.Expand(bound, ServedUrls.MachineAddresses()))
        {
            Serving(logger, url.Url, url.Reach switch
            {
                ServedUrlReach.ThisMachine => "this machine only",
                ServedUrlReach.Network => "other devices on this network",
                _ => "as bound",
            });
        }

        foreach (var feature in features)
        {
            if (feature.Enabled)
            {
                FeatureOn(logger, feature.Name, feature.Detail);
            }
            else
            {
                FeatureOff(logger, feature.Name, feature.Detail);
            }
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Serving {Url} (reachable from {Reach})")]
    private static partial void Serving(ILogger logger, string url, string reach);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Feature}: on, {Detail}")]
    private static partial void FeatureOn(ILogger logger, string feature, string detail);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "{Feature}: off, {Detail}")]
    private static partial void FeatureOff(ILogger logger, string feature, string detail);
}
