using System.ComponentModel;
using Collab.Codec.Vectors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.Codec.Cli.Commands;

/// <summary>Writes the shared vectors (codec/test/vectors) that the codec tests and the web client's tests read.</summary>
internal sealed class VectorsCommand : Command<VectorsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Folder to write (default: codec/test/vectors under the current directory, the repository root).")]
        public string Out { get; init; } = SharedVectors.Folder;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        foreach (var name in SharedVectors.Write(settings.Out))
        {
            AnsiConsole.MarkupLineInterpolated($"wrote [bold]{Path.Combine(settings.Out, name)}[/]");
        }

        return 0;
    }
}
