using Collab.Codec.Profiles;
using Collab.Codec.Simulation;

namespace Collab.Codec.Tests.Simulation;

/// <summary>
/// The heavy-loss rung's targets on both committed speech samples: STOI ≥ 0.95 at 20 % random and ≥ 0.92 at 20 %
/// bursty (60 ms) loss within 24 kb/s of payload. The full measurement is ten seeds per condition
/// (<c>collab-codec redundancy --ladder-only</c>, codec/README.md); here seeds 1–3, held to floors at the target or,
/// where those three seeds measure less than the ten-seed mean, a little under what they measure, so a regression of
/// the rung, the sender, the packets or the jitter buffer fails in a few seconds. Seeds 1–3 measured: random .960 and
/// .964, bursty .914 (ten seeds: .922) and .946.
/// </summary>
public sealed class HeavyLossTargetTests
{
    private static readonly int[] s_seeds = [1, 2, 3];

    [Theory]
    [InlineData("speech-48k.wav", 0.95)]
    [InlineData("speech2-48k.wav", 0.95)]
    public void Heavy_red_holds_20_percent_random_loss_within_24_kbps(string sample, double floor)
    {
        var runs = s_seeds.Select(seed => Simulate(sample, new RandomLoss(0.20, seed))).ToList();

        Assert.All(runs, run => Assert.True(run.Result.PayloadKilobitsPerSecond <= 24, $"payload {run.Result.PayloadKilobitsPerSecond:0.0} kb/s"));
        Assert.True(runs.Average(run => run.Stoi) >= floor, $"STOI {runs.Average(run => run.Stoi):0.000} on {sample}");
    }

    [Theory]
    [InlineData("speech-48k.wav", 0.91)]
    [InlineData("speech2-48k.wav", 0.92)]
    public void Heavy_red_holds_20_percent_bursty_loss_within_24_kbps(string sample, double floor)
    {
        var runs = s_seeds.Select(seed => Simulate(sample, new BurstLoss(0.20, 60, seed))).ToList();

        Assert.All(runs, run => Assert.True(run.Result.PayloadKilobitsPerSecond <= 24, $"payload {run.Result.PayloadKilobitsPerSecond:0.0} kb/s"));
        Assert.True(runs.Average(run => run.Stoi) >= floor, $"STOI {runs.Average(run => run.Stoi):0.000} on {sample}");
        Assert.All(runs, run => Assert.True(run.Result.Receiver.FramesRecoveredRedundancy > run.Result.Receiver.FramesConcealed, "redundancy should rebuild most lost frames"));
    }

    private static (SimulationResult Result, double Stoi) Simulate(string sample, ILossModel loss)
    {
        var pcm = SpeechSample.Named(sample);
        var result = VoiceLinkSimulator.Run(pcm, new SimulationOptions { FixedProfile = ProfileLadder.HeavyRedundant, Loss = loss });
        return (result, SpeechSample.Score(pcm, result.Received).Stoi);
    }
}
