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
            var (exitCode, stdout) = await RunAsync("run", "--scenario", "town-hall", "--participants", "4", "--speakers", "1", "--profile", "custom", "--latency-ms", "20",
                "--duration", "5s", "--spawn", "1", "--baseline", "--configuration", Configuration, "--json", "--out", output.FullName);

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

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        Hosting.ExternalCommand.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "collab-load.dll"), .. arguments], cancellationToken: TestContext.Current.CancellationToken, limit: TimeSpan.FromMinutes(2));
}
