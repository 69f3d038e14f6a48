using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Collab.LoadGenerator.Baseline;
using Collab.LoadGenerator.Hosting;
using Collab.LoadGenerator.Impairment;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Collab.LoadGenerator.Scenarios;

internal sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scenario <NAME>")]
        [Description("town-hall, roundtable, chat-storm, vote-burst, qa-burst, speakers-list or reconnect-storm (kills a spawned node half-way).")]
        [DefaultValue("town-hall")]
        public string Scenario { get; init; } = "town-hall";

        [CommandOption("--participants <N>")]
        [Description("Virtual participants besides the moderator (1–5000).")]
        [DefaultValue(50)]
        public int Participants { get; init; } = 50;

        [CommandOption("--speakers <N>")]
        [Description("Speakers (default: 2 in town-hall, 0 otherwise).")]
        public int? Speakers { get; init; }

        [CommandOption("--profile <NAME>")]
        [Description("Network profile of the participants' links: good, 3g, edge, satellite, venue-wifi or custom, or a weighted mix such as venue-wifi:70,3g:20,edge:10.")]
        [DefaultValue("good")]
        public string Profile { get; init; } = "good";

        [CommandOption("--down-kbps <KBPS>")]
        [Description("Link option (applies to every profile in --profile): bandwidth cap hub → participant, kbit/s (0: none).")]
        public double? DownKilobitsPerSecond { get; init; }

        [CommandOption("--up-kbps <KBPS>")]
        [Description("Link option: bandwidth cap participant → hub, kbit/s (0: none).")]
        public double? UpKilobitsPerSecond { get; init; }

        [CommandOption("--latency-ms <MS>")]
        [Description("Link option: one-way delay each direction.")]
        public double? LatencyMilliseconds { get; init; }

        [CommandOption("--jitter-ms <MS>")]
        [Description("Link option: extra one-way delay, uniform in 0..this.")]
        public double? JitterMilliseconds { get; init; }

        [CommandOption("--loss-percent <P>")]
        [Description("Link option: TCP segments lost (each burst costs a retransmission stall).")]
        public double? LossPercent { get; init; }

        [CommandOption("--loss-burst <SEGMENTS>")]
        [Description("Link option: mean run of consecutive lost segments (1: independent).")]
        public double? LossBurstSegments { get; init; }

        [CommandOption("--outage-every <SECONDS>")]
        [Description("Link option: seconds between outages (0: none).")]
        public double? OutageEverySeconds { get; init; }

        [CommandOption("--outage-seconds <SECONDS>")]
        [Description("Link option: length of each outage (connections are reset when it starts).")]
        public double? OutageSeconds { get; init; }

        [CommandOption("--duration <TIME>")]
        [Description("Run time, e.g. 60s or 2m (at most 1 h).")]
        [DefaultValue("60s")]
        public string Duration { get; init; } = "60s";

        [CommandOption("--decoding-listeners <N>")]
        [Description("Listeners that run the full receive path (jitter buffer, decoder, STOI, reception reports); the rest count packets. Decoding costs CPU: lower it when the load generator's machine is short of it.")]
        [DefaultValue(10)]
        public int DecodingListeners { get; init; } = 10;

        [CommandOption("--voice-path <PATH>")]
        [Description("auto: voice datagrams while the hub answers pings, SignalR otherwise (both while switching); unreliable: datagrams only; signalr: SignalR only. Results report the voice figures per path.")]
        [DefaultValue(Collab.Conferencing.Client.VoicePathChoice.Auto)]
        public Collab.Conferencing.Client.VoicePathChoice VoicePath { get; init; } = Collab.Conferencing.Client.VoicePathChoice.Auto;

        [CommandOption("--separate-screen-calls")]
        [Description("After Join, fetch the history, the catch-up and the floor with separate calls, as clients did before the join carried them (for a before/after join-to-screen figure).")]
        public bool SeparateScreenCalls { get; init; }

        [CommandOption("--spawn <N>")]
        [Description("Start a redis-server (when N > 1) and N hub processes on loopback, and stop them at the end.")]
        public int? Spawn { get; init; }

        [CommandOption("--hub <URLS>")]
        [Description("Comma-separated hub URLs of an existing deployment instead of --spawn.")]
        public string? Hub { get; init; }

        [CommandOption("--kernel")]
        [Description("Linux as root: each participant in its own network namespace, with real packet loss and rate limits in the kernel (netem, or tbf + nftables with delay from the proxy).")]
        public bool Kernel { get; init; }

        [CommandOption("--baseline")]
        [Description("After the run, the same chat fan-out (the participants, the scenario's chat rate, unimpaired links, at most 30 s) on the bare SignalR hub and on a fresh Collab node, one at a time; results and report show Collab ÷ bare. Needs --spawn.")]
        public bool Baseline { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Write results.json and report.html (self-contained, with charts) here.")]
        public string? Out { get; init; }

        [CommandOption("--json")]
        [Description("Print the JSON results on stdout.")]
        public bool Json { get; init; }

        [CommandOption("--seed <N>")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

        [CommandOption("--slo-chat-p99-ms <MS>")]
        [Description("Objective: p99 chat delivery latency.")]
        [DefaultValue(5000.0)]
        public double ChatP99Milliseconds { get; init; } = 5_000;

        [CommandOption("--slo-audio-loss-percent <P>")]
        [Description("Objective: audio packets lost before the listeners.")]
        [DefaultValue(5.0)]
        public double AudioLossPercent { get; init; } = 5;

        [CommandOption("--slo-audio-concealed-percent <P>")]
        [Description("Objective: audio frames the sampled listeners concealed after redundancy and FEC recovery, or could not play on time (stalls).")]
        [DefaultValue(3.0)]
        public double AudioConcealedPercent { get; init; } = 3;

        [CommandOption("--configuration <NAME>")]
        [Description("Build configuration of the hub --spawn runs.")]
        [DefaultValue("Release")]
        public string Configuration { get; init; } = "Release";

        public TimeSpan ParsedDuration => ParseDuration(Duration);

        public ProfileMix Profiles => ProfileMix.TryParse(Profile, Adjust, out var mix, out var error) ? mix : throw new InvalidOperationException(error);

        /// <summary>A profile with the link options given on the command line applied.</summary>
        public NetworkProfile Adjust(NetworkProfile profile) => profile with
        {
            DownKilobitsPerSecond = DownKilobitsPerSecond ?? profile.DownKilobitsPerSecond,
            UpKilobitsPerSecond = UpKilobitsPerSecond ?? profile.UpKilobitsPerSecond,
            OneWayLatencyMilliseconds = LatencyMilliseconds ?? profile.OneWayLatencyMilliseconds,
            JitterMilliseconds = JitterMilliseconds ?? profile.JitterMilliseconds,
            LossPercent = LossPercent ?? profile.LossPercent,
            MeanLossBurstSegments = LossBurstSegments ?? profile.MeanLossBurstSegments,
            OutageEverySeconds = OutageEverySeconds ?? profile.OutageEverySeconds,
            OutageSeconds = OutageSeconds ?? profile.OutageSeconds,
            ResetOnOutage = profile.ResetOnOutage || OutageEverySeconds > 0,
        };

        public override ValidationResult Validate()
        {
            if (Spawn is null == Hub is null)
            {
                return ValidationResult.Error("Give exactly one of --spawn N or --hub URL[,URL...].");
            }

            if (!ProfileMix.TryParse(Profile, Adjust, out _, out var profileError))
            {
                return ValidationResult.Error(profileError);
            }

            if (new[] { DownKilobitsPerSecond, UpKilobitsPerSecond, LatencyMilliseconds, JitterMilliseconds, OutageEverySeconds, OutageSeconds }.Any(v => v is < 0 or > 100_000)
                || LossPercent is < 0 or > 50 || LossBurstSegments is < 1 or > 100)
            {
                return ValidationResult.Error("Link options: rates, delays and outages are 0–100000, --loss-percent is 0–50, --loss-burst is 1–100.");
            }

            if (Scenario is not ("town-hall" or "roundtable" or "chat-storm" or "vote-burst" or "qa-burst" or "speakers-list" or "reconnect-storm"))
            {
                return ValidationResult.Error("--scenario is town-hall, roundtable, chat-storm, vote-burst, qa-burst, speakers-list or reconnect-storm.");
            }

            if (Kernel && Hub is not null && Hub.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "127.0.0.1")))
            {
                return ValidationResult.Error("--kernel shapes links to hubs on this machine: use --spawn, or --hub with 127.0.0.1 addresses.");
            }

            if (Baseline && Spawn is null)
            {
                return ValidationResult.Error("--baseline runs both hubs on this machine, so it needs --spawn.");
            }

            if (Scenario == "reconnect-storm" && Spawn is not >= 2)
            {
                return ValidationResult.Error("reconnect-storm kills a hub node, so it needs --spawn 2 or more.");
            }

            if (ParsedDuration <= TimeSpan.Zero || ParsedDuration > TimeSpan.FromHours(1))
            {
                return ValidationResult.Error("--duration is between 1s and 1h, e.g. 60s or 2m.");
            }

            return Participants is < 1 or > 5_000 ? ValidationResult.Error("--participants is 1–5000.")
                : DecodingListeners is < 0 or > 100 ? ValidationResult.Error("--decoding-listeners is 0–100.")
                : Spawn is < 1 or > 8 ? ValidationResult.Error("--spawn is 1–8.")
                : ValidationResult.Success();
        }

        private static TimeSpan ParseDuration(string text)
        {
            var unit = text.TrimEnd()[^1];
            var number = unit is 's' or 'm' or 'h' ? text.Trim()[..^1] : text.Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return TimeSpan.Zero;
            }

            return unit switch { 'm' => TimeSpan.FromMinutes(value), 'h' => TimeSpan.FromHours(value), _ => TimeSpan.FromSeconds(value) };
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Kernel && await KernelLinks.ProbeAsync(cancellationToken) is (false, var reason))
        {
            AnsiConsole.MarkupLine($"[red]--kernel is not available here: {Markup.Escape(reason)}.[/]");
            return 2;
        }

        var scenario = ScenarioSettings.For(settings.Scenario, settings.Participants, settings.ParsedDuration, settings.Profiles, settings.Speakers, settings.Seed) with { DecodingListeners = settings.DecodingListeners, SeparateScreenCalls = settings.SeparateScreenCalls, VoicePath = settings.VoicePath };
        var objectives = new ServiceLevelObjectives(settings.ChatP99Milliseconds, settings.AudioLossPercent, settings.AudioConcealedPercent);
        var live = !settings.Json && LiveDisplay.Supported ? new LiveDisplay() : null;
        Action<string> progress = settings.Json ? _ => { } : message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

        var result = await RunScenarioAsync(settings, scenario, live, progress, cancellationToken);
        var baseline = settings.Baseline ? await RunBaselineAsync(settings, scenario, progress, cancellationToken) : null;

        var checks = result.Check(objectives);
        var json = JsonSerializer.Serialize(new { result, objectives, checks = checks.Select(c => new { c.Objective, c.Met, c.Measured }), baseline }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, IncludeFields = true });
        if (settings.Out is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "results.json"), json, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "report.html"), HtmlReport.Render(result, objectives, baseline), cancellationToken);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(json);
        }
        else
        {
            var table = new Table().AddColumns("objective", "measured", "met");
            foreach (var (objective, met, measured) in checks)
            {
                table.AddRow(Markup.Escape(objective), measured, met ? "[green]yes[/]" : "[red]no[/]");
            }

            AnsiConsole.Write(table);
            foreach (var (what, error) in result.FirstErrors)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(what)}: {Markup.Escape(error)}[/]");
            }

            if (baseline is not null)
            {
                AnsiConsole.Write(BaselineCommand.Table(baseline));
                Console.Out.WriteLine(baseline.SummaryLine);
            }

            Console.Out.WriteLine(result.SummaryLine(objectives));
        }

        return checks.All(c => c.Met) ? 0 : 1;
    }

    /// <summary>The scenario on the spawned deployment (stopped before returning, so a baseline after it has the machine) or the given hubs.</summary>
    private static async Task<RunResult> RunScenarioAsync(Settings settings, ScenarioSettings scenario, LiveDisplay? live, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var deployment = settings.Spawn is { } nodes
            ? await SpawnedDeployment.StartAsync(nodes, settings.Configuration, progress)
            : null;
        var hubs = deployment?.Hubs ?? [.. settings.Hub!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))];
        await using var kernel = settings.Kernel ? await KernelLinks.CreateAsync([.. Enumerable.Range(0, settings.Participants).Select(scenario.Profiles.For)], progress, cancellationToken) : null;
        var servers = deployment is null ? null : new ServerMonitor(deployment.Named);
        var runner = new ScenarioRunner(scenario, hubs, live is null ? progress : live.Message, deployment is null ? null : deployment.KillHubAsync, servers, kernel);
        return live is null
            ? await runner.RunAsync(cancellationToken)
            : await live.ShowAsync(runner.RunAsync(cancellationToken), runner.Snapshot, servers);
    }

    /// <summary>The scenario's chat load as a plain fan-out, on the bare hub and on a fresh Collab node (null when the scenario has no chat).</summary>
    private static async Task<BaselineResult?> RunBaselineAsync(Settings settings, ScenarioSettings scenario, Action<string> progress, CancellationToken cancellationToken)
    {
        var messagesPerSecond = scenario.Participants * scenario.ChatMessagesPerParticipantPerSecond;
        if (messagesPerSecond <= 0)
        {
            progress($"no baseline: {scenario.Scenario} sends no chat");
            return null;
        }

        var duration = TimeSpan.FromSeconds(Math.Min(30, scenario.Duration.TotalSeconds));
        progress(string.Create(CultureInfo.InvariantCulture, $"baseline: {scenario.Participants} receivers, {messagesPerSecond:0.##} chat messages/s, {duration.TotalSeconds:0} s, on the bare hub, then on a fresh Collab node"));
        var fanOut = new FanOutSettings(scenario.Participants, Math.Max(1, messagesPerSecond), duration, TimeSpan.FromSeconds(5));
        return await new BaselineRun(fanOut, idle: null, settings.Configuration).RunAsync(progress, cancellationToken);
    }
}
