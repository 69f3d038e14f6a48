using System.Text.Json;

namespace Collab.LoadGenerator.Tests;

/// <summary>The collab-load command as an operator runs it: its own process, spawning the hub it tests.</summary>
[Collection(nameof(ImpairmentProxyTests))]
public sealed class CommandLineTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task A_spawned_run_with_its_baseline_writes_its_results_and_report_and_exits_by_its_objectives()
    {
        var output = Directory.CreateTempSubdirectory("collab-load-");
        try
        {
            // A loose concealment objective: stalls count in it, and a busy test machine stalls the listeners' playout (the
            // 3 % default is for load runs); the exit code still follows the objectives, as asserted.
            var (exitCode, stdout) = await RunAsync("run", "--scenario", "town-hall", "--participants", "4", "--speakers", "1", "--profile", "custom", "--latency-ms", "20",
                "--duration", "5s", "--slo-audio-concealed-percent", "20", "--spawn", "1", "--baseline", "--configuration", Configuration, "--json", "--out", output.FullName);

            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{stdout}");
            using var printed = JsonDocument.Parse(stdout);
            Assert.All(printed.RootElement.GetProperty("checks").EnumerateArray(), check => Assert.True(check.GetProperty("met").GetBoolean(), check.ToString()));
            Assert.Equal(4, printed.RootElement.GetProperty("result").GetProperty("participants").GetInt32());
            Assert.Contains("hub 1", printed.RootElement.GetProperty("result").GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            var baseline = printed.RootElement.GetProperty("baseline");
            Assert.True(baseline.GetProperty("collabFanOut").GetProperty("allDelivered").GetBoolean());
            Assert.True(baseline.GetProperty("bareFanOut").GetProperty("allDelivered").GetBoolean());
            Assert.True(File.Exists(Path.Combine(output.FullName, "results.json")));
            var report = await File.ReadAllTextAsync(Path.Combine(output.FullName, "report.html"), TestContext.Current.CancellationToken);
            Assert.Contains("<svg", report, StringComparison.Ordinal);
            Assert.Contains("Baseline: Collab against a bare SignalR hub", report, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--profile", "dial-up", "Unknown profile 'dial-up'")]
    [InlineData("--loss-percent", "80", "--loss-percent is 0–50")]
    [InlineData("--duration", "2h", "--duration is between 1s and 1h")]
    public async Task Wrong_options_are_refused_with_the_reason_before_anything_starts(string option, string value, string reason)
    {
        var (exitCode, output) = await RunAsync("run", "--spawn", "1", option, value);

        // The console wraps long lines where it likes: compare without whitespace.
        Assert.NotEqual(0, exitCode);
        Assert.Contains(string.Concat(reason.Where(c => !char.IsWhiteSpace(c))), string.Concat(output.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_cost_measures_redis_and_each_hub_on_a_spawned_pair_of_nodes_and_writes_its_results()
    {
        var output = Directory.CreateTempSubdirectory("collab-load-");
        try
        {
            var (exitCode, stdout) = await RunAsync("idle-cost", "--participants", "10,30", "--spawn", "2", "--settle", "1", "--window", "6",
                "--configuration", Configuration, "--json", "--out", output.FullName);

            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{stdout}");
            using var printed = JsonDocument.Parse(stdout);
            var results = printed.RootElement.EnumerateArray().ToList();
            Assert.Equal([10, 30], results.Select(r => r.GetProperty("participants").GetInt32()));
            Assert.All(results, result =>
            {
                // Heartbeats run in any window of a few seconds: the figures come from a live Redis, not a default.
                Assert.True(result.GetProperty("redisCommandsPerSecond").GetDouble() > 0, result.ToString());
                Assert.True(result.GetProperty("redisScriptsPerSecond").GetDouble() > 0, result.ToString());
                // Memory per participant is there, but with a few dozen it is within the allocator's noise (it may even be negative).
                Assert.Equal(JsonValueKind.Number, result.GetProperty("redisBytesPerParticipant").ValueKind);
                Assert.Equal(["hub 1", "hub 2"], result.GetProperty("hubs").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
            });
            Assert.True(File.Exists(Path.Combine(output.FullName, "idle-cost.json")));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--participants", "10,0", "--participants is a comma-separated list of 1–15000")]
    [InlineData("--spawn", "1", "--spawn is 2–4")]
    public async Task Wrong_idle_cost_options_are_refused_with_the_reason(string option, string value, string reason)
    {
        var (exitCode, output) = await RunAsync("idle-cost", option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(string.Concat(reason.Where(c => !char.IsWhiteSpace(c))), string.Concat(output.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        Hosting.ExternalCommand.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "collab-load.dll"), .. arguments], cancellationToken: TestContext.Current.CancellationToken, limit: TimeSpan.FromMinutes(2));
}
