using Collab.LoadGenerator.Baseline;
using Collab.LoadGenerator.Relay;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("collab-load");
    config.AddCommand<Collab.LoadGenerator.Scenarios.RunCommand>("run")
        .WithDescription("Run a scenario (town-hall, chat-storm, vote-burst, qa-burst, speakers-list, …) of virtual participants on degraded links; exit code 1 when an objective is missed.");
    config.AddCommand<Collab.LoadGenerator.Speak.SpeakCommand>("speak")
        .WithDescription("Join an existing meeting as one .NET participant: speak the speech sample, decode what others say, print both as JSON.");
    config.AddCommand<RelayBenchCommand>("relay-bench")
        .WithDescription("Voice relay benchmark: speakers at a fixed packet rate to many listeners through spawned hub nodes; server CPU per relayed packet, added latency, drops.");
    config.AddCommand<BaselineCommand>("baseline")
        .WithDescription("The Collab hub against a bare SignalR broadcast hub, one after the other: chat fan-out (delivery, server CPU per delivery, p99) and idle connections (memory each), with ratios and targets.");
    config.AddCommand<Collab.LoadGenerator.IdleCost.IdleCostCommand>("idle-cost")
        .WithDescription("What idle participants cost: --spawn nodes on one redis-server, N idle participants in one meeting; Redis commands/s (INFO commandstats), Redis memory per participant, each hub's idle CPU; --kill times a node death's clearing.");
});
return await app.RunAsync(args);
