using Collab.Conferencing;
using Collab.Hub;
using Collab.LoadGenerator.Baseline;
using Collab.LoadGenerator.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Collab.LoadGenerator.Tests;

/// <summary>The baseline loads, tiny, against real spawned hubs (the bare hub and a Collab node) and a planted fault.</summary>
[Collection(nameof(ImpairmentProxyTests))]
public sealed class BaselineTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly FanOutSettings s_tinyFanOut = new(Receivers: 50, MessagesPerSecond: 10, Duration: TimeSpan.FromSeconds(2), WarmUp: TimeSpan.FromSeconds(1));
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public BaselineTests() => _timeout.CancelAfter(TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData(nameof(BaselineTarget.Bare))]
    [InlineData(nameof(BaselineTarget.Collab))]
    public async Task A_tiny_fan_out_delivers_every_message_to_every_receiver_and_measures_the_server(string hub)
    {
        var target = Enum.Parse<BaselineTarget>(hub);
        await using var process = await SpawnAsync(target);

        var result = await new FanOutLoad(s_tinyFanOut).RunAsync(BaselineServer.Spawned(target, process), _ => { }, _timeout.Token);

        Assert.True(result.MessagesSent >= 15, $"only {result.MessagesSent} messages sent in 2 s at 10 per second");
        Assert.Equal(result.MessagesSent * 50, result.DeliveriesExpected);
        Assert.Equal(result.DeliveriesExpected, result.DeliveriesReceived);
        Assert.True(result.AllDelivered);
        Assert.Equal(0, result.SendFailures);
        Assert.True(result.ServerCpuMicrosecondsPerDelivery > 0, "no server CPU measured");
        Assert.True(result.LatencyP50Milliseconds > 0 && result.LatencyP99Milliseconds >= result.LatencyP50Milliseconds, $"latency p50 {result.LatencyP50Milliseconds} ms, p99 {result.LatencyP99Milliseconds} ms");
        Assert.True(result.PeakResidentBytes > 0);
    }

    [Fact]
    public async Task A_hub_that_drops_chat_messages_makes_the_fan_out_report_less_than_everything()
    {
        var app = CollabHubApplication.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var notifier = builder.Services.Single(d => d.ServiceType == typeof(IMeetingNotifier));
            builder.Services.Replace(ServiceDescriptor.Singleton<IMeetingNotifier>(provider =>
                new DroppingNotifier((IMeetingNotifier)ActivatorUtilities.CreateInstance(provider, notifier.ImplementationType!), message => message.Sequence % 4 == 0)));
        });
        await app.StartAsync(_timeout.Token);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var server = new BaselineServer(BaselineTarget.Collab, address, Environment.ProcessId, async () => await app.StopAsync(CancellationToken.None));
        try
        {
            var result = await new FanOutLoad(s_tinyFanOut).RunAsync(server, _ => { }, _timeout.Token);

            Assert.False(result.AllDelivered);
            Assert.True(result.DeliveriesReceived > 0 && result.DeliveredFraction < 1, $"{result.DeliveriesReceived} of {result.DeliveriesExpected} delivered");
            // Each dropped push is lost by the 49 others; its sender has it from its result.
            Assert.Equal(0, (result.DeliveriesExpected - result.DeliveriesReceived) % 49);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(nameof(BaselineTarget.Bare))]
    [InlineData(nameof(BaselineTarget.Collab))]
    public async Task A_tiny_idle_load_measures_memory_per_connection(string hub)
    {
        var target = Enum.Parse<BaselineTarget>(hub);
        await using var process = await SpawnAsync(target);

        var result = await new IdleLoad(new IdleSettings(200, TimeSpan.FromSeconds(1))).RunAsync(BaselineServer.Spawned(target, process), _ => { }, _timeout.Token);

        Assert.True(result.AllHeld, $"{result.ConnectionsHeld} of 200 connections held");
        Assert.Equal(10, result.WarmConnections);
        Assert.True(result.BytesPerConnection > 0, $"{result.BytesPerConnection} bytes per connection");
        Assert.True(result.JoinSeconds > 0);
    }

    [Fact]
    public void A_figure_past_its_ratio_misses_its_target_and_the_run()
    {
        var bare = new FanOutResult(
            BaselineTarget.Bare, Receivers: 100, Senders: 1, MessagesPerSecond: 1, ConnectSeconds: 1, MeasuredSeconds: 10, MessagesSent: 10, SendFailures: 0,
            DeliveriesExpected: 1_000, DeliveriesReceived: 1_000, Duplicates: 0, ServerCpuSeconds: 0.020, ClientCpuSeconds: 0.030, OtherCpuSeconds: 0,
            LatencyP50Milliseconds: 1, LatencyP99Milliseconds: 10, PeakResidentBytes: 1);
        var collab = bare with { Target = BaselineTarget.Collab, ServerCpuSeconds = 0.025, LatencyP99Milliseconds = 11 };

        var result = new BaselineResult(bare, collab, null, null);

        var cpu = result.Figures.Single(figure => figure.Name.StartsWith("server CPU/delivery", StringComparison.Ordinal));
        Assert.Equal(1.25, cpu.Ratio!.Value, 3);
        Assert.False(cpu.Met);
        Assert.True(result.Figures.Single(figure => figure.Name.StartsWith("latency p99", StringComparison.Ordinal)).Met);
        Assert.False(result.AllTargetsMet);
        Assert.Contains("2 of 3 targets met", result.SummaryLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_runs_report_the_spread_of_each_targeted_ratio()
    {
        var bare = new FanOutResult(
            BaselineTarget.Bare, Receivers: 100, Senders: 1, MessagesPerSecond: 1, ConnectSeconds: 1, MeasuredSeconds: 10, MessagesSent: 10, SendFailures: 0,
            DeliveriesExpected: 1_000, DeliveriesReceived: 1_000, Duplicates: 0, ServerCpuSeconds: 0.020, ClientCpuSeconds: 0.030, OtherCpuSeconds: 0,
            LatencyP50Milliseconds: 1, LatencyP99Milliseconds: 10, PeakResidentBytes: 1);
        BaselineResult Run(double p99) => new(bare, bare with { Target = BaselineTarget.Collab, LatencyP99Milliseconds = p99 }, null, null);

        var spread = BaselineSpread.Of([Run(11), Run(15), Run(9)]);

        var p99 = spread.Single(figure => figure.Name.StartsWith("latency p99", StringComparison.Ordinal));
        Assert.Equal((0.9, 1.1, 1.5), (Math.Round(p99.Min, 3), Math.Round(p99.Median, 3), Math.Round(p99.Max, 3)));
        Assert.Equal((2, 3), (p99.Met, p99.Runs));
        var cpu = spread.Single(figure => figure.Name.StartsWith("server CPU/delivery", StringComparison.Ordinal));
        Assert.Equal((1.0, 1.0, 3), (cpu.Min, cpu.Max, cpu.Met));
        Assert.DoesNotContain(spread, figure => figure.Name.StartsWith("latency p50", StringComparison.Ordinal));
        Assert.Contains("0.90–1.50× (median 1.10×; ≤ 1.2× met in 2 of 3)", p99.Line, StringComparison.Ordinal);
    }

    private static Task<SpawnedProcess> SpawnAsync(BaselineTarget target) => target == BaselineTarget.Bare
        ? SpawnedProcess.StartBareHubAsync(RepositoryPaths.BareHubAssembly(Configuration))
        : SpawnedProcess.StartHubAsync(RepositoryPaths.HubAssembly(Configuration), redisConnection: null, $"test{Environment.ProcessId}");

    public void Dispose() => _timeout.Dispose();
}
