using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Open_mic_grants_the_floor_up_to_the_maximum_and_a_release_makes_room()
    {
        var floor = (await CreateStoresAsync()).Floor;

        var outcomes = new List<FloorRequestOutcome>();
        foreach (var participant in new[] { "a", "b", "c", "a" })
        {
            outcomes.Add((await floor.RequestAsync("m", participant, 2, Ct)).Outcome);
        }

        var released = await floor.ReleaseAsync("m", "a", 2, Ct);
        var (afterRelease, view) = await floor.RequestAsync("m", "c", 2, Ct);

        Assert.Equal([FloorRequestOutcome.Granted, FloorRequestOutcome.Granted, FloorRequestOutcome.Full, FloorRequestOutcome.Granted], outcomes);
        Assert.Equal(["b"], released.Speakers);
        Assert.Equal(FloorRequestOutcome.Granted, afterRelease);
        AssertFloor(view, FloorMode.OpenMic, 2, ["b", "c"], [], []);
        Assert.Empty((await floor.GetAsync("other", 3, Ct)).Speakers);
    }

    [Fact]
    public async Task Concurrent_requests_never_exceed_the_maximum()
    {
        var floor = (await CreateStoresAsync()).Floor;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => floor.RequestAsync("m", $"p{i}", 3, Ct)));

        Assert.Equal(3, results.Count(r => r.Outcome == FloorRequestOutcome.Granted));
        Assert.Equal(3, (await floor.GetAsync("m", 3, Ct)).Speakers.Count);
    }

    [Fact]
    public async Task Moderated_requests_wait_for_a_grant_and_muting_takes_the_floor_away()
    {
        var floor = (await CreateStoresAsync()).Floor;

        var mode = await floor.SetModeAsync("m", FloorMode.Moderated, 1, Ct);
        var (requested, pending) = await floor.RequestAsync("m", "a", 3, Ct);
        var (granted, speaking) = await floor.GrantAsync("m", "a", 3, Ct);
        var (full, _) = await floor.GrantAsync("m", "b", 3, Ct);
        var muted = await floor.SetMutedAsync("m", "a", true, 3, Ct);
        var (mutedRequest, _) = await floor.RequestAsync("m", "a", 3, Ct);
        var (mutedGrant, _) = await floor.GrantAsync("m", "a", 3, Ct);
        var unmuted = await floor.SetMutedAsync("m", "a", false, 3, Ct);

        AssertFloor(mode, FloorMode.Moderated, 1, [], [], []);
        Assert.Equal(FloorRequestOutcome.Requested, requested);
        Assert.Equal(["a"], pending.Requests);
        Assert.Equal(FloorRequestOutcome.Granted, granted);
        Assert.Equal(["a"], speaking.Speakers);
        Assert.Empty(speaking.Requests);
        Assert.Equal(FloorRequestOutcome.Full, full);
        Assert.Empty(muted.Speakers);
        Assert.Equal(["a"], muted.Muted);
        Assert.Equal(FloorRequestOutcome.Muted, mutedRequest);
        Assert.Equal(FloorRequestOutcome.Muted, mutedGrant);
        Assert.Empty(unmuted.Muted);
    }

    private static void AssertFloor(FloorView actual, FloorMode mode, int maxSpeakers, string[] speakers, string[] requests, string[] muted)
    {
        Assert.Equal(mode, actual.Mode);
        Assert.Equal(maxSpeakers, actual.MaxSpeakers);
        Assert.Equal(speakers, actual.Speakers);
        Assert.Equal(requests, actual.Requests);
        Assert.Equal(muted, actual.Muted);
    }
}
