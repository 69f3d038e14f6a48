using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.LoadGenerator.IdleCost;

/// <summary>
/// <c>collab-load idle-cost</c>: what idle participants cost Redis and the hubs, for each of several audience sizes
/// on a fresh deployment each, so the figures show whether the idle cost grows with the audience.
/// </summary>
internal sealed class IdleCostCommand : AsyncCommand<IdleCostCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--participants <LIST>")]
        [Description("Idle participants, one measurement per value on a fresh deployment (comma-separated, each 1–15000).")]
        [DefaultValue("1000,5000,10000")]
        public string Participants { get; init; } = "1000,5000,10000";

        [CommandOption("--spawn <N>")]
        [Description("Hub nodes to spawn on one redis-server (2–4).")]
        [DefaultValue(2)]
        public int Spawn { get; init; } = 2;

        [CommandOption("--settle <SECONDS>")]
        [Description("Idle seconds after the joins before measuring (1–600).")]
        [DefaultValue(30)]
        public int SettleSeconds { get; init; } = 30;

        [CommandOption("--window <SECONDS>")]
        [Description("Measured idle seconds (1–600): a minute smooths out heartbeats and keep-alives.")]
        [DefaultValue(60)]
        public int WindowSeconds { get; init; } = 60;

        [CommandOption("--kill")]
        [Description("After the window, kill the last node and time until the first node's moderator has heard all its participants leave.")]
        public bool Kill { get; init; }

        [CommandOption("--configuration <NAME>")]
        [Description("Build configuration of the hub to run (build it first).")]
        [DefaultValue("Release")]
        public string Configuration { get; init; } = "Release";

        [CommandOption("--hub-assembly <PATH>")]
        [Description("Run this Collab.Hub.dll instead of the repository's build (e.g. an older build, to compare).")]
        public string? HubAssembly { get; init; }

        [CommandOption("--json")]
        [Description("Print the results as JSON.")]
        public bool Json { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Write idle-cost.json here.")]
        public string? Out { get; init; }

        public IReadOnlyList<int> Sizes => [.. Participants.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(value => int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : -1)];

        public override ValidationResult Validate() =>
            Sizes.Count == 0 || Sizes.Any(n => n is < 1 or > 15_000) ? ValidationResult.Error("--participants is a comma-separated list of 1–15000.")
            : Spawn is < 2 or > 4 ? ValidationResult.Error("--spawn is 2–4: the measurement is of Redis.")
            : SettleSeconds is < 1 or > 600 ? ValidationResult.Error("--settle is 1–600 seconds.")
            : WindowSeconds is < 1 or > 600 ? ValidationResult.Error("--window is 1–600 seconds.")
            : HubAssembly is { } path && !File.Exists(path) ? ValidationResult.Error($"--hub-assembly: no file {path}.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Action<string> progress = settings.Json ? _ => { } : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        var results = new List<IdleCostResult>();
        foreach (var size in settings.Sizes)
        {
            var run = new IdleCostRun(new IdleCostSettings(size, settings.Spawn, TimeSpan.FromSeconds(settings.SettleSeconds), TimeSpan.FromSeconds(settings.WindowSeconds), settings.Kill, settings.Configuration, settings.HubAssembly));
            results.Add(await run.RunAsync(progress, cancellationToken));
        }

        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        if (settings.Out is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "idle-cost.json"), json, cancellationToken);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(json);
            return 0;
        }

        AnsiConsole.Write(Table(results));
        foreach (var result in results)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"idle-cost N={result.Participants}: busiest Redis commands/s {string.Join(", ", result.BusiestCommands.Select(rate => $"{rate.Command} {rate.PerSecond:0.0}"))}"));
        }

        return 0;
    }

    private static Table Table(IReadOnlyList<IdleCostResult> results)
    {
        var table = new Table().AddColumns("participants", "nodes", "window (s)", "Redis cmd/s", "scripts/s", "cmd/s per node", "Redis bytes/participant", "hub idle CPU (%)", "node kill: cleared (s)");
        foreach (var result in results)
        {
            table.AddRow(
                result.Participants.ToString("N0", CultureInfo.InvariantCulture),
                result.Nodes.ToString(CultureInfo.InvariantCulture),
                result.WindowSeconds.ToString("0", CultureInfo.InvariantCulture),
                result.RedisCommandsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                result.RedisScriptsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                result.RedisCommandsPerSecondPerNode.ToString("0.0", CultureInfo.InvariantCulture),
                result.RedisBytesPerParticipant.ToString("N0", CultureInfo.InvariantCulture),
                string.Join(" / ", result.Hubs.Select(hub => hub.IdleCpuPercent.ToString("0.0", CultureInfo.InvariantCulture))),
                result.Kill is { } kill ? (kill.ClearedSeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : $"{kill.Left}/{kill.Participants} only") : "–");
        }

        return table;
    }
}
