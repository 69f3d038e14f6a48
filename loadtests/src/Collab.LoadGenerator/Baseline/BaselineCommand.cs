using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.LoadGenerator.Baseline;

internal sealed class BaselineCommand : AsyncCommand<BaselineCommand.Settings>
{
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--receivers <N>")]
        [Description("Fan-out receivers, each a real client in one room (0 skips the fan-out).")]
        [DefaultValue(2000)]
        public int Receivers { get; init; } = 2000;

        [CommandOption("--rate <N>")]
        [Description("Chat messages per second in total, from one sender per message per second (the senders are receivers too).")]
        [DefaultValue(10)]
        public int Rate { get; init; } = 10;

        [CommandOption("--duration <SECONDS>")]
        [Description("Measured seconds of fan-out, after a 5 s warm-up.")]
        [DefaultValue(30)]
        public int DurationSeconds { get; init; } = 30;

        [CommandOption("--idle <N>")]
        [Description("Idle connections that join and stay, for memory per connection (0 skips the idle load).")]
        [DefaultValue(10000)]
        public int Idle { get; init; } = 10_000;

        [CommandOption("--participants <N>")]
        [Description("Idle connections per room (Collab meeting, bare-hub group); the default puts them all in one, a town hall.")]
        [DefaultValue(10000)]
        public int Participants { get; init; } = 10_000;

        [CommandOption("--settle <SECONDS>")]
        [Description("Idle seconds before each memory reading of the idle load: two keep-alive intervals (15 s each way by default), so every connection has pinged both ways.")]
        [DefaultValue(30)]
        public int SettleSeconds { get; init; } = 30;

        [CommandOption("--configuration <NAME>")]
        [Description("Build configuration of the hubs to run (build them first).")]
        [DefaultValue("Release")]
        public string Configuration { get; init; } = "Release";

        [CommandOption("--repeat <N>")]
        [Description("Runs the whole baseline N times, one after another, and reports each run and the spread of every targeted ratio (lowest, median, highest, runs that met it): one run's tail says little on a shared machine.")]
        [DefaultValue(1)]
        public int Repeat { get; init; } = 1;

        [CommandOption("--json")]
        [Description("Print the results as JSON.")]
        public bool Json { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Write baseline.json here.")]
        public string? Out { get; init; }

        [CommandOption("--strict")]
        [Description("Exit code 1 when a target is missed (by default the figures are reported only: they depend on the machine).")]
        public bool Strict { get; init; }

        public override ValidationResult Validate() =>
            Receivers is < 0 or > 10_000 ? ValidationResult.Error("--receivers is 0–10000.")
            : Rate is < 1 or > 1_000 ? ValidationResult.Error("--rate is 1–1000.")
            : Receivers > 0 && Rate > Receivers ? ValidationResult.Error("--rate may not exceed --receivers: each sender is a receiver sending one message per second.")
            : (long)Receivers * Rate > 200_000 ? ValidationResult.Error("--receivers × --rate is at most 200000 deliveries per second.")
            : DurationSeconds is < 1 or > 600 ? ValidationResult.Error("--duration is 1–600 seconds.")
            : Idle is < 0 or > 15_000 || Idle is 1 ? ValidationResult.Error("--idle is 0 or 2–15000.")
            : Participants < 1 ? ValidationResult.Error("--participants is at least 1.")
            : Repeat is < 1 or > 10 ? ValidationResult.Error("--repeat is 1–10.")
            : SettleSeconds is < 1 or > 600 ? ValidationResult.Error("--settle is 1–600 seconds.")
            : Receivers == 0 && Idle == 0 ? ValidationResult.Error("Nothing to run: --receivers and --idle are both 0.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var fanOut = settings.Receivers > 0 ? new FanOutSettings(settings.Receivers, settings.Rate, TimeSpan.FromSeconds(settings.DurationSeconds), s_warmUp) : null;
        var idle = settings.Idle > 0 ? new IdleSettings(settings.Idle, TimeSpan.FromSeconds(settings.SettleSeconds), settings.Participants) : null;
        Action<string> progress = settings.Json ? _ => { } : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        List<BaselineResult> runs = [];
        for (var run = 1; run <= settings.Repeat; run++)
        {
            if (settings.Repeat > 1)
            {
                progress($"baseline run {run} of {settings.Repeat}");
            }

            runs.Add(await new BaselineRun(fanOut, idle, settings.Configuration).RunAsync(progress, cancellationToken));
            if (!settings.Json)
            {
                AnsiConsole.Write(Table(runs[^1]));
                Console.Out.WriteLine(runs[^1].SummaryLine);
            }
        }

        var spread = settings.Repeat > 1 ? BaselineSpread.Of(runs) : null;
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
        var json = spread is null ? JsonSerializer.Serialize(runs[0], options) : JsonSerializer.Serialize(new { runs, spread }, options);
        if (settings.Out is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "baseline.json"), json, cancellationToken);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(json);
        }
        else if (spread is not null)
        {
            var table = new Table().AddColumns("figure (Collab ÷ bare)", "lowest", "median", "highest", "target", "met");
            foreach (var figure in spread)
            {
                table.AddRow(
                    Markup.Escape(figure.Name),
                    figure.Min.ToString("0.00×", CultureInfo.InvariantCulture),
                    figure.Median.ToString("0.00×", CultureInfo.InvariantCulture),
                    figure.Max.ToString("0.00×", CultureInfo.InvariantCulture),
                    Markup.Escape(figure.Target),
                    $"{figure.Met} of {figure.Runs}");
            }

            AnsiConsole.Write(table);
            Console.Out.WriteLine($"baseline over {runs.Count} runs: {string.Join("; ", spread.Select(figure => figure.Line))}");
        }

        return settings.Strict && runs.Any(run => !run.AllTargetsMet) ? 1 : 0;
    }

    /// <summary>Each figure on both hubs, the ratio and the target (also printed by <c>run --baseline</c>).</summary>
    internal static Table Table(BaselineResult result)
    {
        var table = new Table().AddColumns("figure", "bare hub", "Collab", "Collab ÷ bare", "target", "met");
        foreach (var figure in result.Figures)
        {
            table.AddRow(
                Markup.Escape(figure.Name),
                figure.Bare.ToString(figure.Format, CultureInfo.InvariantCulture),
                figure.Collab.ToString(figure.Format, CultureInfo.InvariantCulture),
                figure.Ratio is { } ratio ? ratio.ToString("0.00×", CultureInfo.InvariantCulture) : "–",
                Markup.Escape(figure.Target ?? "–"),
                figure.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "–" });
        }

        return table;
    }
}
