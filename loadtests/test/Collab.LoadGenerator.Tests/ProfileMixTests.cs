using Collab.LoadGenerator.Impairment;

namespace Collab.LoadGenerator.Tests;

public sealed class ProfileMixTests
{
    [Fact]
    public void A_mix_deals_profiles_in_its_proportions_from_the_first_participant_on()
    {
        Assert.True(ProfileMix.TryParse("venue-wifi:70,3g:20,edge:10", p => p, out var mix, out _));

        var first100 = Enumerable.Range(0, 100).Select(mix.For).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Count());
        var first10 = Enumerable.Range(0, 10).Select(mix.For).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(70, first100["venue-wifi"]);
        Assert.Equal(20, first100["3g"]);
        Assert.Equal(10, first100["edge"]);
        Assert.Equal(7, first10["venue-wifi"]);
        Assert.Equal("venue-wifi:70,3g:20,edge:10", mix.Name);
    }

    [Fact]
    public void One_profile_is_everyone_s_and_link_options_shape_every_profile_of_the_mix()
    {
        Assert.True(ProfileMix.TryParse("edge", p => p with { LossPercent = 7 }, out var single, out _));
        Assert.True(ProfileMix.TryParse("custom,3g", p => p with { UpKilobitsPerSecond = 20 }, out var mix, out _));

        Assert.All(Enumerable.Range(0, 5).Select(single.For), p => Assert.Equal(("edge", 7.0), (p.Name, p.LossPercent)));
        Assert.All(Enumerable.Range(0, 6).Select(mix.For), p => Assert.Equal(20, p.UpKilobitsPerSecond));
        Assert.Equal(["custom", "3g"], Enumerable.Range(0, 2).Select(i => mix.For(i).Name));
        Assert.False(single.AllGood);
        Assert.True(((ProfileMix)NetworkProfile.Good).AllGood);
    }

    [Theory]
    [InlineData("dial-up", "Unknown profile 'dial-up'")]
    [InlineData("edge:0", "weight is a whole number 1–100")]
    [InlineData("edge:x", "weight is a whole number 1–100")]
    [InlineData("edge:1:2", "weight is a whole number 1–100")]
    [InlineData("edge,edge", "twice")]
    [InlineData(",", "at least one profile")]
    public void A_wrong_mix_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(ProfileMix.TryParse(text, p => p, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
