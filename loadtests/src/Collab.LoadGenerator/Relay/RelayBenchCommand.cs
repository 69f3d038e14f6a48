using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.LoadGenerator.Relay;

internal sealed class RelayBenchCommand : AsyncCommand<RelayBenchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--speakers <N>")]
        [Description("Speakers holding the floor (1–10).")]
        [DefaultValue(3)]
        public int Speakers { get; init; } = 3;

        [CommandOption("--listeners <N>")]
        [Description("Listening participants (1–2000).")]
        [DefaultValue(200)]
        public int Listeners { get; init; } = 200;

        [CommandOption("--pps <N>")]
        [Description("Packets per second per speaker: 50 = 20 ms frames, one per message (the clear profile).")]
        [DefaultValue(50)]
        public int PacketsPerSecond { get; init; } = 50;

        [CommandOption("--duration <SECONDS>")]
        [Description("Measured seconds, after a 3 s warm-up (1–600).")]
        [DefaultValue(20)]
        public int DurationSeconds { get; init; } = 20;

        [CommandOption("--nodes <N>")]
        [Description("Hub processes to spawn on loopback: 1 (in-memory state) or more (with a spawned redis-server).")]
        [DefaultValue(1)]
        public int Nodes { get; init; } = 1;

        [CommandOption("--configuration <NAME>")]
        [Description("Build configuration of the hub to run (build it first).")]
        [DefaultValue("Release")]
        public string Configuration { get; init; } = "Release";

        [CommandOption("--json")]
        [Description("Print the results as JSON.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Speakers is < 1 or > 10 ? ValidationResult.Error("--speakers is 1–10.")
            : Listeners is < 1 or > 2_000 ? ValidationResult.Error("--listeners is 1–2000.")
            : PacketsPerSecond is < 1 or > 100 ? ValidationResult.Error("--pps is 1–100.")
            : DurationSeconds is < 1 or > 600 ? ValidationResult.Error("--duration is 1–600 seconds.")
            : Nodes is < 1 or > 8 ? ValidationResult.Error("--nodes is 1–8.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var bench = new RelayBench(settings.Speakers, settings.Listeners, settings.PacketsPerSecond, TimeSpan.FromSeconds(settings.DurationSeconds), settings.Nodes, settings.Configuration);
        var result = await bench.RunAsync(settings.Json ? _ => { } : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }

        var table = new Table().AddColumns("figure", "value");
        table.AddRow("nodes", result.Nodes.ToString(CultureInfo.InvariantCulture));
        table.AddRow("speakers × packets/s → listeners", $"{result.Speakers} × {result.PacketsPerSecond} → {result.Listeners}");
        table.AddRow("packets published", result.PacketsPublished.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("deliveries expected / received", $"{result.DeliveriesExpected:N0} / {result.DeliveriesReceived:N0}");
        table.AddRow("dropped or missing", $"{result.DeliveriesMissing:N0} ({result.MissingFraction:P3})");
        table.AddRow("relayed packets/s", result.DeliveriesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("server CPU (all nodes)", $"{result.ServerCpuSeconds:0.00} s of {result.MeasuredSeconds:0.0} s ({result.ServerCpuSeconds / result.MeasuredSeconds:P0} of one core)");
        table.AddRow("server CPU per relayed packet", $"{result.ServerCpuMicrosecondsPerDelivery:0.0} µs");
        table.AddRow("added relay latency p50 / p99", $"{result.LatencyP50Milliseconds:0.0} / {result.LatencyP99Milliseconds:0.0} ms");
        table.AddRow("largest hub resident memory", $"{result.MaxHubResidentBytes / 1_048_576.0:0} MB");
        AnsiConsole.Write(table);
        Console.Out.WriteLine(result.SummaryLine);
        return 0;
    }
}
