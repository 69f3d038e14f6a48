using System.ComponentModel;
using System.Globalization;
using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;
using Collab.Codec.Profiles;
using Collab.Codec.Simulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

/// <summary>The loss table: every rung and auto under each loss condition, averaged over seeds.</summary>
internal sealed class TableCommand : Command<TableCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--input <WAV>")]
        [Description("Speech to send.")]
        public string Input { get; init; } = string.Empty;

        [CommandOption("--seeds <N>")]
        [Description("Loss seeds to average over.")]
        [DefaultValue(3)]
        public int Seeds { get; init; } = 3;

        [CommandOption("--conditions <LIST>")]
        [Description("Comma-separated model:percent pairs, e.g. random:0,random:5,random:20,burst:20 (bursts of 60 ms).")]
        [DefaultValue("random:0,random:5,random:10,random:20,burst:20")]
        public string Conditions { get; init; } = "random:0,random:5,random:10,random:20,burst:20";

        [CommandOption("--json")]
        [Description("Print JSON instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            !File.Exists(Input) ? ValidationResult.Error($"--input must name an existing WAV file (got '{Input}').")
            : Seeds is < 1 or > 20 ? ValidationResult.Error("--seeds is 1–20.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var input = WaveFiles.ReadVoice(settings.Input);
        var clean = WaveFiles.ToFloat(input);
        var rows = new List<Row>();
        foreach (var condition in settings.Conditions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var model = condition.Split(':')[0];
            var percent = double.Parse(condition.Split(':')[1], CultureInfo.InvariantCulture);
            foreach (var profile in ProfileLadder.All.Select(p => (VoiceProfile?)p).Append(null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var runs = Enumerable.Range(1, settings.Seeds).Select(seed =>
                {
                    ILossModel loss = model == "burst" ? new BurstLoss(percent / 100, 60, seed) : new RandomLoss(percent / 100, seed);
                    var result = VoiceLinkSimulator.Run(input, new SimulationOptions { FixedProfile = profile, Loss = loss });
                    var score = SpeechIntelligibility.Score(clean, WaveFiles.ToFloat(result.Received), VoiceFormat.SampleRate);
                    return (result, score);
                }).ToList();
                rows.Add(new Row(
                    profile?.Name ?? "auto",
                    model,
                    percent,
                    runs.Average(r => r.result.PayloadKilobitsPerSecond),
                    runs.Average(r => r.result.WireKilobitsPerSecond),
                    runs.Average(r => r.result.RecoveredFraction) * 100,
                    runs.Average(r => r.score.Stoi),
                    runs.Average(r => r.score.ExtendedStoi)));
            }
        }

        if (settings.Json)
        {
            JsonOutput.Write(rows);
            return 0;
        }

        var table = new Table().AddColumns("profile", "loss", "payload kb/s", "wire kb/s", "recovered %", "STOI", "ESTOI");
        foreach (var row in rows)
        {
            table.AddRow(row.Profile, $"{row.Model} {row.LossPercent:0.#}%", $"{row.PayloadKbps:0.0}", $"{row.WireKbps:0.0}", $"{row.RecoveredPercent:0}", $"{row.Stoi:0.000}", $"{row.Estoi:0.000}");
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private sealed record Row(string Profile, string Model, double LossPercent, double PayloadKbps, double WireKbps, double RecoveredPercent, double Stoi, double Estoi);
}
