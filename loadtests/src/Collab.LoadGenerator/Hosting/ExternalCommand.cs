using System.Diagnostics;

namespace Collab.LoadGenerator.Hosting;

/// <summary>Runs a system tool (ip, tc, nft) to completion with a time limit, feeding it standard input.</summary>
internal static class ExternalCommand
{
    /// <summary>
    /// The exit code and the combined output; a tool that is not installed reads as exit code 127. A process still
    /// running after <paramref name="limit"/> (60 s by default) is killed and the call cancelled.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default, TimeSpan? limit = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (127, $"{fileName}: {exception.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(limit ?? TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, (await output) + (await error));
        }
    }

    /// <summary>Runs the tool and throws with its output when it fails.</summary>
    public static async Task CheckAsync(string fileName, IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        var argumentList = arguments.ToList();
        var (exitCode, output) = await RunAsync(fileName, argumentList, input, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', argumentList)} failed ({exitCode}): {output.Trim()}");
        }
    }
}
