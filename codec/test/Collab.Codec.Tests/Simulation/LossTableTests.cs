using Collab.Codec.Profiles;
using Collab.Codec.Simulation;

namespace Collab.Codec.Tests.Simulation;

/// <summary>
/// The codec's promises on the committed speech, each averaged over three loss seeds: encode, lose, recover or
/// conceal, decode, and score against what was sent.
/// </summary>
public sealed class LossTableTests
{
    private static readonly int[] s_seeds = [1, 2, 3];

    [Fact]
    public void Auto_keeps_speech_intelligible_at_20_percent_random_loss_within_24_kbps()
    {
        var runs = s_seeds.Select(seed => Simulate(null, new RandomLoss(0.20, seed))).ToList();

        Assert.All(runs, run => Assert.True(run.Result.PayloadKilobitsPerSecond <= 24, $"payload {run.Result.PayloadKilobitsPerSecond:0.0} kb/s"));
        Assert.True(runs.Average(run => run.Stoi) >= 0.90, $"STOI {runs.Average(run => run.Stoi):0.000}");
        Assert.All(runs, run => Assert.True(run.Result.RecoveredFraction > 0.5, "most lost frames should be rebuilt"));
    }

    [Fact]
    public void Auto_beats_plain_concealment_at_the_same_payload_under_bursty_loss()
    {
        var auto = s_seeds.Select(seed => Simulate(null, new BurstLoss(0.20, 60, seed))).ToList();
        var autoOpusKbps = auto.Average(run => run.Result.OpusKilobitsPerSecond);
        var plain = ProfileLadder.Standard with { Name = "plain", BitrateBitsPerSecond = (int)Math.Ceiling(autoOpusKbps) * 1000 };
        var concealed = s_seeds.Select(seed => Simulate(plain, new BurstLoss(0.20, 60, seed))).ToList();

        Assert.True(concealed.Average(run => run.Result.OpusKilobitsPerSecond) >= autoOpusKbps * 0.9, "the comparison must be at the same payload");
        Assert.True(auto.Average(run => run.Stoi) > concealed.Average(run => run.Stoi) + 0.02, $"auto {auto.Average(run => run.Stoi):0.000} vs plain {concealed.Average(run => run.Stoi):0.000}");
    }

    [Fact]
    public void Without_loss_the_received_speech_lines_up_with_what_was_sent()
    {
        var run = Simulate(ProfileLadder.Standard, new RandomLoss(0, 1));

        Assert.True(run.Stoi >= 0.97, $"STOI {run.Stoi:0.000}");
        Assert.Equal(0, run.Result.MessagesLost);
        Assert.Equal(0, run.Result.ConcealedFraction);
    }

    [Fact]
    public void A_simulation_is_deterministic_for_its_seed()
    {
        var first = Simulate(null, new BurstLoss(0.1, 60, 42)).Result;
        var second = Simulate(null, new BurstLoss(0.1, 60, 42)).Result;

        Assert.Equal(first.Received, second.Received);
        Assert.Equal(first.ProfileChanges, second.ProfileChanges);
    }

    private static (SimulationResult Result, double Stoi) Simulate(VoiceProfile? profile, ILossModel loss)
    {
        var result = VoiceLinkSimulator.Run(SpeechSample.Pcm, new SimulationOptions { FixedProfile = profile, Loss = loss });
        return (result, SpeechSample.Score(result.Received).Stoi);
    }
}
