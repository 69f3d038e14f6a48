using System.Net;
using Collab.Hub.Startup;
using Collab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Collab.Hub.Tests.Hosting;

public sealed class StartupReportTests
{
    [Fact]
    public async Task Start_up_logs_the_served_url_the_missing_resume_key_and_what_is_off_before_anyone_joins()
    {
        await using var host = await HubHost.StartAsync(CaptureLogs);
        var logs = host.Services.GetRequiredService<FakeLogCollector>();

        var records = logs.GetSnapshot();
        Assert.Contains(records, record => record.Level == LogLevel.Warning && record.Message.Contains("ResumeTokenKey", StringComparison.Ordinal));
        Assert.Contains(records, record => record.Message == $"Serving {host.Address.ToString().TrimEnd('/')} (reachable from this machine only)");
        Assert.Contains(records, record => record.Message.StartsWith("Redis: off, no ConnectionStrings:Redis", StringComparison.Ordinal));
        Assert.Contains(records, record => record.Message.StartsWith("HTTPS: off, no https endpoint configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configured_resume_key_gives_no_warning()
    {
        var key = Convert.ToBase64String(new byte[32]);
        await using var host = await HubHost.StartAsync(CaptureLogs, ("Collab:Conferencing:ResumeTokenKey", key));

        var records = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.DoesNotContain(records, record => record.Message.Contains("ResumeTokenKey", StringComparison.Ordinal));
        Assert.Contains(records, record => record.Message.StartsWith("Serving http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wildcard_binding_is_shown_as_localhost_and_each_network_address()
    {
        IPAddress[] machine = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("10.0.0.5"), IPAddress.Loopback, IPAddress.Parse("2001:db8::7"), IPAddress.Parse("fe80::1")];

        var ipv4Any = ServedUrls.Expand(["https://0.0.0.0:5443"], machine);
        var ipv6Any = ServedUrls.Expand(["http://[::]:5080"], machine);
        var loopback = ServedUrls.Expand(["http://127.0.0.1:5080", "http://localhost:5080"], machine);

        Assert.Equal(
            [new("https://localhost:5443", ServedUrlReach.ThisMachine), new("https://192.168.1.20:5443", ServedUrlReach.Network), new("https://10.0.0.5:5443", ServedUrlReach.Network)],
            ipv4Any);
        Assert.Equal(
            ["http://localhost:5080", "http://192.168.1.20:5080", "http://10.0.0.5:5080", "http://[2001:db8::7]:5080"],
            ipv6Any.Select(url => url.Url));
        Assert.Equal([ServedUrlReach.ThisMachine, ServedUrlReach.AsBound], loopback.Select(url => url.Reach));
    }

    private static void CaptureLogs(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Collab.Hub.Startup", LogLevel.Information);
        builder.Services.AddFakeLogging();
    }
}
