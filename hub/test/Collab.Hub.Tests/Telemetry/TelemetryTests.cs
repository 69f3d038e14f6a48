using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Telemetry;

/// <summary>
/// Runs alone: each host's OpenTelemetry provider listens to meters by name in the whole process, so a SignalR or
/// ASP.NET Core meter of another test's host can own the shared metric stream and take it away when that host is
/// disposed (the scrape then lacks <c>signalr_server_active_connections</c>).
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
[Collection(nameof(TelemetryTests))]
public sealed partial class TelemetryTests(RedisServer sharedRedis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_are_not_served_unless_prometheus_is_turned_on()
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task With_a_prometheus_port_metrics_answer_only_on_that_port()
    {
        var port = RedisServer.FreeLoopbackPort();
        await using var host = await HubHost.StartAsync(
            ("Collab:Telemetry:Prometheus", "true"),
            ("Collab:Telemetry:PrometheusPort", port.ToString(CultureInfo.InvariantCulture)),
            ("Urls", $"http://127.0.0.1:0;http://127.0.0.1:{port}"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var publicAddress = host.Addresses.Single(address => address.Port != port);

        using var onPublic = await http.GetAsync(new Uri(publicAddress, "/metrics"), Cancel);
        using var onMetricsPort = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("target_info", await onMetricsPort.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_counters_move_after_a_chat_message_and_a_vote_and_carry_no_meeting_id()
    {
        sharedRedis.SkipIfUnavailable();
        await using var host = await HubHost.StartAsync(
            ("Collab:Telemetry:Prometheus", "true"),
            ("Collab:Telemetry:RedisProbeIntervalMilliseconds", "500"),
            ("ConnectionStrings:Redis", sharedRedis.ConnectionString),
            ("Collab:Redis:ChannelPrefix", $"metrics-{Guid.NewGuid():N}"));
        var meeting = await host.CreateMeetingAsync("Metrics", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Lea", moderator: true);
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var moderatorClient = moderator;
        await using var anaClient = ana;
        var before = await ScrapeAsync(host, text => Value(text, "collab_meetings_joins_total") >= 2);

        await ana.SendChatAsync("m1", "hello");
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        await ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0]));
        var after = await ScrapeAsync(host, text =>
            Value(text, "collab_chat_messages_total") > Value(before, "collab_chat_messages_total")
            && Value(text, "collab_polls_votes_total") > Value(before, "collab_polls_votes_total")
            && Value(text, "collab_redis_roundtrip_seconds_count") > 0
            && text.Contains("signalr_server_active_connections", StringComparison.Ordinal)
            && text.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal));

        // The OpenTelemetry SDK subscribes to meters by name in the whole process, so hubs of tests running beside this
        // one add to these counters too: they must have moved, by at least this test's message and ballot.
        Assert.True(Value(after, "collab_chat_messages_total") - Value(before, "collab_chat_messages_total") >= 1);
        Assert.True(Value(after, "collab_polls_votes_total") - Value(before, "collab_polls_votes_total") >= 1);
        Assert.True(Value(after, "collab_meetings_created_total") >= 1);
        Assert.Contains("collab_connections{", after, StringComparison.Ordinal);
        Assert.Contains("signalr_server_active_connections", after, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", after, StringComparison.Ordinal);
        Assert.DoesNotContain(meeting.MeetingId, after, StringComparison.Ordinal);
        Assert.DoesNotContain(poll.PollId, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_receives_collab_metrics_and_hub_traces_when_an_endpoint_is_configured()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var host = await HubHost.StartAsync(
            ("Collab:Telemetry:OtlpEndpoint", collector.Address.ToString()),
            ("Collab:Telemetry:OtlpProtocol", "http/protobuf"),
            ("Collab:Telemetry:OtlpExportIntervalMilliseconds", "1000"));
        var meeting = await host.CreateMeetingAsync("Exported", Cancel);
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var anaClient = ana;
        await ana.SendChatAsync("m1", "hello");

        // OTLP is protobuf; instrument, meter and span names travel as plain UTF-8 strings in it.
        await collector.WaitForAsync("/v1/metrics", "collab.chat.messages");
        await collector.WaitForAsync("/v1/traces", "Collab.Hub.Hubs.MeetingHub/SendChat");
    }

    private static async Task<string> ScrapeAsync(HubHost host, Func<string, bool> until)
    {
        using var http = host.CreateHttpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var text = string.Empty;
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        do
        {
            using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), timeout.Token);
            response.EnsureSuccessStatusCode();
            text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (until(text))
            {
                return text;
            }
        }
        while (await pace.WaitForNextTickAsync(timeout.Token));
        return text;
    }

    /// <summary>The sum over every label set of one metric in the Prometheus text format (0 when absent).</summary>
    private static double Value(string text, string metric) =>
        text.Split('\n')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == metric)
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[-+0-9.eE]+|NaN)( \d+)?$")]
    private static partial Regex SampleLine();

    /// <summary>A minimal OTLP/HTTP receiver on loopback: accepts every export and keeps the bodies by path.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<(string Path, byte[] Body)> _received = [];

        private OtlpCollector(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                lock (collector._received)
                {
                    collector._received.Add((context.Request.Path, body.ToArray()));
                }

                context.Response.ContentType = "application/x-protobuf";
            });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StartAsync(timeout.Token);
            collector.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return collector;
        }

        public async Task WaitForAsync(string path, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            do
            {
                lock (_received)
                {
                    if (_received.Any(export => export.Path == path && export.Body.AsSpan().IndexOf(bytes) >= 0))
                    {
                        return;
                    }
                }
            }
            while (await pace.WaitForNextTickAsync(timeout.Token).AsTask().ContinueWith(tick => !tick.IsCanceled && tick.Result, TaskScheduler.Default));

            string[] paths;
            lock (_received)
            {
                paths = [.. _received.Select(export => export.Path)];
            }

            Assert.Fail($"No OTLP export to {path} contained '{text}' within 30 s; exports received: {string.Join(", ", paths)}");
        }

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
    }
}
