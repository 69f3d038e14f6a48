using System.ComponentModel;
using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

internal sealed class StoiCommand : Command<StoiCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<REFERENCE>")]
        [Description("The clean WAV.")]
        public string Reference { get; init; } = string.Empty;

        [CommandArgument(1, "<DEGRADED>")]
        [Description("The WAV to score, time-aligned with the reference.")]
        public string Degraded { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print JSON instead of text.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            !File.Exists(Reference) ? ValidationResult.Error($"No such file: {Reference}")
            : !File.Exists(Degraded) ? ValidationResult.Error($"No such file: {Degraded}")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var reference = WaveFiles.ToFloat(WaveFiles.ReadVoice(settings.Reference));
        var degraded = WaveFiles.ToFloat(WaveFiles.ReadVoice(settings.Degraded));
        var score = SpeechIntelligibility.Score(reference, degraded, VoiceFormat.SampleRate);
        if (settings.Json)
        {
            JsonOutput.Write(new { stoi = score.Stoi, estoi = score.ExtendedStoi });
        }
        else
        {
            AnsiConsole.MarkupLine($"STOI  [bold]{score.Stoi:0.0000}[/]");
            AnsiConsole.MarkupLine($"ESTOI [bold]{score.ExtendedStoi:0.0000}[/]");
        }

        return 0;
    }
}
