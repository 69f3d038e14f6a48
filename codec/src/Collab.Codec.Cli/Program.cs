using Collab.Codec.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("collab-codec");
    config.AddCommand<StoiCommand>("stoi").WithDescription("Score a degraded WAV against its reference: STOI and extended STOI.");
    config.AddCommand<SimulateCommand>("simulate").WithDescription("Encode speech, lose packets, recover or conceal, decode, and score it.");
    config.AddCommand<TableCommand>("table").WithDescription("The loss table: every rung and auto under several loss conditions, averaged over seeds.");
    config.AddCommand<RedundancyCommand>("redundancy").WithDescription("Compare redundancy schemes at 20 % random and bursty loss against the heavy-loss targets.");
    config.AddCommand<ProfilesCommand>("profiles").WithDescription("List the voice profile ladder with its costs.");
    config.AddCommand<VectorsCommand>("vectors").WithDescription("Write the shared vectors (codec/test/vectors) the codec and web tests read.");
});
return await app.RunAsync(args);
