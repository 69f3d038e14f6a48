using System.Globalization;
using Collab.LoadGenerator.Hosting;
using Spectre.Console;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// The live progress display on an interactive terminal: the run's figures and the hub processes' CPU and memory,
/// redrawn every second, with the latest messages below. Elsewhere (a pipe, CI) the run prints a line every 5 s instead.
/// </summary>
internal sealed class LiveDisplay
{
    private readonly Queue<string> _messages = new();

    public static bool Supported => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public void Message(string message)
    {
        lock (_messages)
        {
            _messages.Enqueue(message);
            while (_messages.Count > 6)
            {
                _messages.Dequeue();
            }
        }
    }

    /// <summary>Shows <paramref name="snapshot"/> every second until <paramref name="run"/> ends.</summary>
    public async Task<T> ShowAsync<T>(Task<T> run, Func<RunProgress> snapshot, ServerMonitor? servers)
    {
        await AnsiConsole.Live(new Markup("starting…")).AutoClear(false).StartAsync(async context =>
        {
            while (!run.IsCompleted)
            {
                context.UpdateTarget(Render(snapshot(), servers));
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1)));
            }

            context.UpdateTarget(Render(snapshot(), servers));
        });
        return await run;
    }

    private Rows Render(RunProgress progress, ServerMonitor? servers)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("figure", "so far");
        var share = progress.ChatExpected == 0 ? 1 : progress.ChatDelivered / (double)progress.ChatExpected;
        table.AddRow("time", $"{progress.Seconds:0} / {progress.DurationSeconds:0} s");
        table.AddRow("connected", $"{progress.Connected} / {progress.Participants}");
        table.AddRow("chat delivered", string.Create(CultureInfo.InvariantCulture, $"{progress.ChatDelivered:N0} / {progress.ChatExpected:N0} ({share:P2})"));
        table.AddRow("votes", progress.Votes.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("audio packets heard / lost", string.Create(CultureInfo.InvariantCulture, $"{progress.AudioHeard:N0} / {progress.AudioLost:N0}"));
        table.AddRow("reconnects / errors", $"{progress.Reconnects} / {progress.Errors}");

        foreach (var series in servers?.Series() ?? [])
        {
            if (series.Samples.Count > 0)
            {
                var last = series.Samples[^1];
                table.AddRow(Markup.Escape(series.Name), string.Create(CultureInfo.InvariantCulture, $"CPU {last.CpuPercent:0} % of a core, {last.ResidentMegabytes:0} MB"));
            }
        }

        string[] messages;
        lock (_messages)
        {
            messages = [.. _messages];
        }

        return new Rows([table, .. messages.Select(m => new Markup($"[grey]{Markup.Escape(m)}[/]"))]);
    }
}
