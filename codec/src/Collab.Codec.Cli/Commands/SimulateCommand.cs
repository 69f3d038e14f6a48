using System.ComponentModel;
using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;
using Collab.Codec.Opus;
using Collab.Codec.Profiles;
using Collab.Codec.Simulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

internal sealed class SimulateCommand : Command<SimulateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--input <WAV>")]
        [Description("Speech to send (any rate; mixed to mono and resampled to 48 kHz).")]
        public string Input { get; init; } = string.Empty;

        [CommandOption("--loss <PERCENT>")]
        [Description("Share of messages lost, in percent (0–90).")]
        [DefaultValue(0.0)]
        public double LossPercent { get; init; }

        [CommandOption("--model <MODEL>")]
        [Description("random (independent losses) or burst (Gilbert model, bursts in time).")]
        [DefaultValue("random")]
        public string Model { get; init; } = "random";

        [CommandOption("--burst-ms <MS>")]
        [Description("Mean burst length for --model burst.")]
        [DefaultValue(60.0)]
        public double BurstMilliseconds { get; init; } = 60;

        [CommandOption("--profile <NAME>")]
        [Description("A ladder rung (see 'profiles') or auto (the link adapter decides from receiver reports).")]
        [DefaultValue("auto")]
        public string Profile { get; init; } = "auto";

        [CommandOption("--seed <N>")]
        [Description("Seed of the loss model.")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

        [CommandOption("--delay-ms <MS>")]
        [Description("One-way delay of every message.")]
        [DefaultValue(50.0)]
        public double DelayMilliseconds { get; init; } = 50;

        [CommandOption("--backend <BACKEND>")]
        [Description("auto, native or managed Opus.")]
        [DefaultValue("auto")]
        public string Backend { get; init; } = "auto";

        [CommandOption("--out <WAV>")]
        [Description("Write the received speech here.")]
        public string? Output { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON instead of text.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Input) || !File.Exists(Input))
            {
                return ValidationResult.Error($"--input must name an existing WAV file (got '{Input}').");
            }

            if (LossPercent is < 0 or > 90)
            {
                return ValidationResult.Error("--loss is a percentage from 0 to 90.");
            }

            if (Model is not ("random" or "burst"))
            {
                return ValidationResult.Error("--model is random or burst.");
            }

            if (BurstMilliseconds < 10)
            {
                return ValidationResult.Error("--burst-ms is at least 10.");
            }

            if (Profile != "auto" && !ProfileLadder.TryGetByName(Profile, out _))
            {
                return ValidationResult.Error($"--profile is auto or one of: {string.Join(", ", ProfileLadder.All.Select(p => p.Name))}.");
            }

            return Backend is "auto" or "native" or "managed" ? ValidationResult.Success() : ValidationResult.Error("--backend is auto, native or managed.");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var input = WaveFiles.ReadVoice(settings.Input);
        var loss = settings.LossPercent / 100;
        ILossModel model = settings.Model == "burst" ? new BurstLoss(loss, settings.BurstMilliseconds, settings.Seed) : new RandomLoss(loss, settings.Seed);
        var backend = settings.Backend switch
        {
            "native" => OpusBackendPreference.Native,
            "managed" => OpusBackendPreference.Managed,
            _ => OpusBackendPreference.Auto,
        };
        VoiceProfile? fixedProfile = ProfileLadder.TryGetByName(settings.Profile, out var named) ? named : null;
        using (var probe = new VoiceDecoder(backend))
        {
            if (!settings.Json)
            {
                AnsiConsole.MarkupLine($"[grey]Opus backend: {probe.Backend}[/]");
            }
        }

        var result = VoiceLinkSimulator.Run(input, new SimulationOptions
        {
            FixedProfile = fixedProfile,
            Loss = model,
            OneWayDelayMilliseconds = settings.DelayMilliseconds,
            Backend = backend,
        });
        var score = SpeechIntelligibility.Score(WaveFiles.ToFloat(input), WaveFiles.ToFloat(result.Received), VoiceFormat.SampleRate);
        if (settings.Output is { } output)
        {
            WaveFiles.WriteVoice(output, result.Received);
        }

        var summary = new
        {
            profile = result.Profile,
            model = settings.Model,
            lossPercent = settings.LossPercent,
            burstMs = settings.Model == "burst" ? settings.BurstMilliseconds : (double?)null,
            seed = settings.Seed,
            opusKbps = result.OpusKilobitsPerSecond,
            payloadKbps = result.PayloadKilobitsPerSecond,
            wireKbps = result.WireKilobitsPerSecond,
            messagesSent = result.MessagesSent,
            messagesLost = result.MessagesLost,
            concealedPercent = result.ConcealedFraction * 100,
            recoveredPercent = result.RecoveredFraction * 100,
            stoi = score.Stoi,
            estoi = score.ExtendedStoi,
            profileChanges = result.ProfileChanges.Select(change => new { atMs = change.AtMilliseconds, change.Profile }),
        };
        if (settings.Json)
        {
            JsonOutput.Write(summary);
            return 0;
        }

        AnsiConsole.MarkupLine($"profile [bold]{summary.profile}[/], {settings.Model} loss {settings.LossPercent:0.#}% (seed {settings.Seed}): {result.MessagesLost}/{result.MessagesSent} messages lost");
        AnsiConsole.MarkupLine($"payload {summary.payloadKbps:0.0} kb/s (Opus {summary.opusKbps:0.0}), on the wire ≈ {summary.wireKbps:0.0} kb/s");
        AnsiConsole.MarkupLine($"concealed {summary.concealedPercent:0.0}% of frames, recovered {summary.recoveredPercent:0.0}% of lost frames");
        AnsiConsole.MarkupLine($"STOI [bold]{score.Stoi:0.000}[/]  ESTOI [bold]{score.ExtendedStoi:0.000}[/]");
        foreach (var change in result.ProfileChanges)
        {
            AnsiConsole.MarkupLine($"[grey]{change.AtMilliseconds / 1000:0.00} s → {change.Profile}[/]");
        }

        return 0;
    }
}
