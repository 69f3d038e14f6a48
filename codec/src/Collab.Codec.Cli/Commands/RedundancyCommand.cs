using System.ComponentModel;
using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;
using Collab.Codec.Profiles;
using Collab.Codec.Simulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

/// <summary>
/// The redundancy comparison behind the ladder's heavy-loss rung: candidate schemes at 20 % random and 20 % bursty
/// (60 ms) loss on one or more speech samples, averaged over seeds, against the targets (STOI ≥ 0.95 random,
/// ≥ 0.92 bursty, payload ≤ 24 kb/s).
/// </summary>
internal sealed class RedundancyCommand : Command<RedundancyCommand.Settings>
{
    public const double RandomTarget = 0.95;
    public const double BurstTarget = 0.92;
    public const double PayloadBudgetKbps = 24;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--input <WAV>")]
        [Description("Speech to send; repeat for several samples.")]
        public string[] Inputs { get; init; } = [];

        [CommandOption("--seeds <N>")]
        [Description("Loss seeds to average over.")]
        [DefaultValue(10)]
        public int Seeds { get; init; } = 10;

        [CommandOption("--ladder-only")]
        [Description("Only the ladder's heavy-loss rung (heavy-red), not the other candidates.")]
        public bool LadderOnly { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Inputs.Length == 0 || Inputs.Any(input => !File.Exists(input)) ? ValidationResult.Error("--input must name existing WAV files.")
            : Seeds is < 1 or > 20 ? ValidationResult.Error("--seeds is 1–20.")
            : ValidationResult.Success();
    }

    /// <summary>The schemes compared, named for what they carry; the ladder's rungs are among them.</summary>
    public static IReadOnlyList<VoiceProfile> Candidates { get; } =
    [
        ProfileLadder.BurstRedundant,
        Candidate("n1+n2@6k", 9_500, 60, new RedundantCopy(2, 6_000), new RedundantCopy(1)),
        Candidate("n1+n3", 7_000, 60, new RedundantCopy(3), new RedundantCopy(1)),
        Candidate("n1+n3@6k", 9_500, 60, new RedundantCopy(3, 6_000), new RedundantCopy(1)),
        Candidate("n1@6k+n2@6k", 11_000, 60, new RedundantCopy(2, 6_000), new RedundantCopy(1, 6_000)),
        Candidate("80ms n1+n2@5k", 9_500, 80, new RedundantCopy(2, 5_000), new RedundantCopy(1)),
        Candidate("120ms 9.5k n1+n2@6k", 9_500, 120, new RedundantCopy(2, 6_000), new RedundantCopy(1)),
        Candidate("120ms 8k n1+n2", 8_000, 120, new RedundantCopy(2), new RedundantCopy(1)),
        ProfileLadder.HeavyRedundant,
    ];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var profiles = settings.LadderOnly ? [ProfileLadder.HeavyRedundant] : Candidates;
        var rows = new List<Row>();
        foreach (var input in settings.Inputs)
        {
            var pcm = WaveFiles.ReadVoice(input);
            var clean = WaveFiles.ToFloat(pcm);
            foreach (var profile in profiles)
            {
                var measured = new Dictionary<string, (double Stoi, double Payload)>();
                foreach (var model in new[] { "random", "burst" })
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var runs = Enumerable.Range(1, settings.Seeds).Select(seed =>
                    {
                        ILossModel loss = model == "burst" ? new BurstLoss(0.2, 60, seed) : new RandomLoss(0.2, seed);
                        var result = VoiceLinkSimulator.Run(pcm, new SimulationOptions { FixedProfile = profile, Loss = loss });
                        return (result.PayloadKilobitsPerSecond, SpeechIntelligibility.Score(clean, WaveFiles.ToFloat(result.Received), VoiceFormat.SampleRate).Stoi);
                    }).ToList();
                    measured[model] = (runs.Average(r => r.Stoi), runs.Average(r => r.PayloadKilobitsPerSecond));
                }

                var lossless = VoiceLinkSimulator.Run(pcm, new SimulationOptions { FixedProfile = profile, Loss = new RandomLoss(0, 1) });
                var ceiling = SpeechIntelligibility.Score(clean, WaveFiles.ToFloat(lossless.Received), VoiceFormat.SampleRate).Stoi;
                var payload = Math.Max(measured["random"].Payload, measured["burst"].Payload);
                rows.Add(new Row(
                    Path.GetFileName(input),
                    profile.Name,
                    Describe(profile),
                    payload,
                    ceiling,
                    measured["random"].Stoi,
                    measured["burst"].Stoi,
                    measured["random"].Stoi >= RandomTarget && measured["burst"].Stoi >= BurstTarget && payload <= PayloadBudgetKbps));
            }
        }

        if (settings.Json)
        {
            JsonOutput.Write(rows);
            return 0;
        }

        AnsiConsole.MarkupLine($"[grey]{settings.Seeds} seeds; targets: STOI ≥ {RandomTarget} at 20 % random, ≥ {BurstTarget} at 20 % bursty (60 ms) loss, payload ≤ {PayloadBudgetKbps} kb/s[/]");
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 150);
        var table = new Table().AddColumns("sample", "scheme", "carries", "payload kb/s", "STOI no loss", "STOI random 20%", "STOI burst 20%", "meets");
        foreach (var row in rows)
        {
            table.AddRow(row.Sample, row.Scheme, row.Carries, $"{row.PayloadKbps:0.0}", $"{row.StoiLossless:0.000}", $"{row.StoiRandom:0.000}", $"{row.StoiBurst:0.000}", row.MeetsTargets ? "yes" : "no");
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static VoiceProfile Candidate(string name, int bitrate, int frameMilliseconds, params RedundantCopy[] copies) =>
        ProfileLadder.BurstRedundant with { Id = 255, Name = name, BitrateBitsPerSecond = bitrate, FrameMilliseconds = frameMilliseconds, RedundantFrames = copies.Length, Redundancy = copies };

    private static string Describe(VoiceProfile profile) =>
        $"{profile.FrameMilliseconds} ms {profile.BitrateBitsPerSecond / 1000.0:0.#}k + " + string.Join(" + ", profile.Redundancy.Reverse().Select(copy =>
            $"n−{copy.Distance} {(copy.BitrateBitsPerSecond is { } bitrate ? $"re-encoded {bitrate / 1000.0:0.#}k" : "copy")}"));

    private sealed record Row(string Sample, string Scheme, string Carries, double PayloadKbps, double StoiLossless, double StoiRandom, double StoiBurst, bool MeetsTargets);
}
