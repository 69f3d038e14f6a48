using System.ComponentModel;
using Collab.Codec.Profiles;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

internal sealed class ProfilesCommand : Command<ProfilesCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Print JSON instead of a table.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            JsonOutput.Write(ProfileLadder.All.Select(p => new
            {
                p.Id,
                p.Name,
                p.BitrateBitsPerSecond,
                p.FrameMilliseconds,
                MaxBandwidth = p.MaxBandwidth.ToString(),
                p.InbandFec,
                p.RedundantFrames,
                p.FramesPerMessage,
                p.NominalPayloadKilobitsPerSecond,
                p.NominalWireKilobitsPerSecond,
            }));
            return 0;
        }

        var table = new Table().AddColumns("id", "name", "kb/s", "frame", "band", "FEC", "redundancy", "frames/msg", "payload kb/s", "wire kb/s");
        foreach (var p in ProfileLadder.All)
        {
            table.AddRow(
                $"{p.Id}", p.Name, $"{p.BitrateBitsPerSecond / 1000.0:0.#}", $"{p.FrameMilliseconds} ms", p.MaxBandwidth.ToString(),
                p.InbandFec ? "yes" : "-", $"{p.RedundantFrames}", $"{p.FramesPerMessage}",
                $"{p.NominalPayloadKilobitsPerSecond:0.#}", $"{p.NominalWireKilobitsPerSecond:0.#}");
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
