using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Collab.LoadGenerator.Hosting;
using Collab.LoadGenerator.Impairment;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.LoadGenerator.Scenarios;

internal sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scenario <NAME>")]
        [Description("town-hall, roundtable, chat-storm, vote-burst or reconnect-storm (kills a spawned node half-way).")]
        [DefaultValue("town-hall")]
        public string Scenario { get; init; } = "town-hall";

        [CommandOption("--participants <N>")]
        [Description("Virtual participants besides the moderator (1–5000).")]
        [DefaultValue(50)]
        public int Participants { get; init; } = 50;

        [CommandOption("--speakers <N>")]
        [Description("Speakers (default: 2 in town-hall, 0 otherwise).")]
        public int? Speakers { get; init; }

        [CommandOption("--profile <NAME>")]
        [Description("Network profile every participant's link plays: good, 3g, edge, satellite, venue-wifi.")]
        [DefaultValue("good")]
        public string Profile { get; init; } = "good";

        [CommandOption("--duration <TIME>")]
        [Description("Run time, e.g. 60s or 2m (at most 1 h).")]
        [DefaultValue("60s")]
        public string Duration { get; init; } = "60s";

        [CommandOption("--spawn <N>")]
        [Description("Start a redis-server (when N > 1) and N hub processes on loopback, and stop them at the end.")]
        public int? Spawn { get; init; }

        [CommandOption("--hub <URLS>")]
        [Description("Comma-separated hub URLs of an existing deployment instead of --spawn.")]
        public string? Hub { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Write results.json and report.html (self-contained, with charts) here.")]
        public string? Out { get; init; }

        [CommandOption("--json")]
        [Description("Print the JSON results on stdout.")]
        public bool Json { get; init; }

        [CommandOption("--seed <N>")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

        [CommandOption("--slo-chat-p99-ms <MS>")]
        [Description("Objective: p99 chat delivery latency.")]
        [DefaultValue(5000.0)]
        public double ChatP99Milliseconds { get; init; } = 5_000;

        [CommandOption("--slo-audio-loss-percent <P>")]
        [Description("Objective: audio packets lost before the listeners.")]
        [DefaultValue(5.0)]
        public double AudioLossPercent { get; init; } = 5;

        [CommandOption("--slo-audio-concealed-percent <P>")]
        [Description("Objective: audio frames the sampled listeners concealed after redundancy and FEC recovery.")]
        [DefaultValue(3.0)]
        public double AudioConcealedPercent { get; init; } = 3;

        [CommandOption("--configuration <NAME>")]
        [Description("Build configuration of the hub --spawn runs.")]
        [DefaultValue("Release")]
        public string Configuration { get; init; } = "Release";

        public TimeSpan ParsedDuration => ParseDuration(Duration);

        public override ValidationResult Validate()
        {
            if (Spawn is null == Hub is null)
            {
                return ValidationResult.Error("Give exactly one of --spawn N or --hub URL[,URL...].");
            }

            if (!NetworkProfile.TryGet(Profile, out _))
            {
                return ValidationResult.Error($"--profile is one of: {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");
            }

            if (Scenario is not ("town-hall" or "roundtable" or "chat-storm" or "vote-burst" or "reconnect-storm"))
            {
                return ValidationResult.Error("--scenario is town-hall, roundtable, chat-storm, vote-burst or reconnect-storm.");
            }

            if (Scenario == "reconnect-storm" && Spawn is not >= 2)
            {
                return ValidationResult.Error("reconnect-storm kills a hub node, so it needs --spawn 2 or more.");
            }

            if (ParsedDuration <= TimeSpan.Zero || ParsedDuration > TimeSpan.FromHours(1))
            {
                return ValidationResult.Error("--duration is between 1s and 1h, e.g. 60s or 2m.");
            }

            return Participants is < 1 or > 5_000 ? ValidationResult.Error("--participants is 1–5000.")
                : Spawn is < 1 or > 8 ? ValidationResult.Error("--spawn is 1–8.")
                : ValidationResult.Success();
        }

        private static TimeSpan ParseDuration(string text)
        {
            var unit = text.TrimEnd()[^1];
            var number = unit is 's' or 'm' or 'h' ? text.Trim()[..^1] : text.Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return TimeSpan.Zero;
            }

            return unit switch { 'm' => TimeSpan.FromMinutes(value), 'h' => TimeSpan.FromHours(value), _ => TimeSpan.FromSeconds(value) };
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        NetworkProfile.TryGet(settings.Profile, out var profile);
        var scenario = ScenarioSettings.For(settings.Scenario, settings.Participants, settings.ParsedDuration, profile, settings.Speakers, settings.Seed);
        var objectives = new ServiceLevelObjectives(settings.ChatP99Milliseconds, settings.AudioLossPercent, settings.AudioConcealedPercent);
        var live = !settings.Json && LiveDisplay.Supported ? new LiveDisplay() : null;
        Action<string> progress = settings.Json ? _ => { } : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

        await using var deployment = settings.Spawn is { } nodes
            ? await SpawnedDeployment.StartAsync(nodes, settings.Configuration, progress)
            : null;
        var hubs = deployment?.Hubs ?? [.. settings.Hub!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))];
        var servers = deployment is null ? null : new ServerMonitor(deployment.Named);
        var runner = new ScenarioRunner(scenario, hubs, live is null ? progress : live.Message, deployment is null ? null : deployment.KillHubAsync, servers);
        var result = live is null
            ? await runner.RunAsync(cancellationToken)
            : await live.ShowAsync(runner.RunAsync(cancellationToken), runner.Snapshot, servers);

        var checks = result.Check(objectives);
        var json = JsonSerializer.Serialize(new { result, objectives, checks = checks.Select(c => new { c.Objective, c.Met, c.Measured }) }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, IncludeFields = true });
        if (settings.Out is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), json, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "report.html"), HtmlReport.Render(result, objectives), cancellationToken);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(json);
        }
        else
        {
            var table = new Table().AddColumns("objective", "measured", "met");
            foreach (var (objective, met, measured) in checks)
            {
                table.AddRow(Markup.Escape(objective), measured, met ? "[green]yes[/]" : "[red]no[/]");
            }

            AnsiConsole.Write(table);
            foreach (var (what, error) in result.FirstErrors)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(what)}: {Markup.Escape(error)}[/]");
            }

            Console.Out.WriteLine(result.SummaryLine(objectives));
        }

        return checks.All(c => c.Met) ? 0 : 1;
    }
}
