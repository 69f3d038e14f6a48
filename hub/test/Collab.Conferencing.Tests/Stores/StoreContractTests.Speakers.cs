using Collab.Conferencing.Speakers;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Speakers_wait_in_the_order_they_asked_once_each_with_their_current_names()
    {
        var stores = await CreateStoresAsync();
        foreach (var (id, name) in new[] { ("a", "Ana"), ("b", "Ben"), ("c", "Chloé \"C\"") })
        {
            await stores.Meetings.SaveParticipantAsync(new Participant("m", id, name, ParticipantRole.Participant, 1), Ct);
        }

        var changes = new List<SpeakersChange>();
        foreach (var (id, at) in new[] { ("a", 10L), ("b", 20L), ("c", 30L), ("a", 40L) })
        {
            changes.Add((await stores.Speakers.EnqueueAsync("m", id, at, 10, Ct)).Change);
        }

        var (withdrawn, afterWithdraw) = await stores.Speakers.DequeueAsync("m", "b", Ct);
        var (again, _) = await stores.Speakers.DequeueAsync("m", "b", Ct);
        await stores.Meetings.UpdateParticipantAsync("m", "c", "Chloe", role: null, Ct);
        var renamed = await stores.Speakers.GetAsync("m", Ct);

        Assert.Equal([SpeakersChange.Changed, SpeakersChange.Changed, SpeakersChange.Changed, SpeakersChange.Unchanged], changes);
        Assert.Equal(SpeakersChange.Changed, withdrawn);
        Assert.Equal(SpeakersChange.Unchanged, again);
        Assert.Equal([("a", "Ana", 10L), ("c", "Chloé \"C\"", 30L)], afterWithdraw.Queue.Select(q => (q.ParticipantId, q.DisplayName, q.AskedAtUnixMs)));
        Assert.Equal(["Ana", "Chloe"], renamed.Queue.Select(q => q.DisplayName));
        Assert.Equal(4, afterWithdraw.Version);
        Assert.Empty((await stores.Speakers.GetAsync("other", Ct)).Queue);
    }

    [Fact]
    public async Task Concurrent_requests_to_speak_queue_each_once_up_to_the_maximum_and_each_is_taken_once()
    {
        var stores = await CreateStoresAsync();

        var asked = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => stores.Speakers.EnqueueAsync("m", $"p{i}", i, 30, Ct)));
        var taken = await Task.WhenAll(Enumerable.Range(0, 35).Select(_ => stores.Speakers.TakeAsync("m", null, Ct)));

        Assert.Equal(30, asked.Count(result => result.Change == SpeakersChange.Changed));
        Assert.Equal(10, asked.Count(result => result.Change == SpeakersChange.Full));
        var takenIds = taken.Where(result => result.Taken is not null).Select(result => result.Taken!.ParticipantId).ToList();
        Assert.Equal(30, takenIds.Count);
        Assert.Equal(30, takenIds.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 40).Where(i => asked[i].Change == SpeakersChange.Changed).Select(i => $"p{i}").Order(), takenIds.Order());
        Assert.Empty((await stores.Speakers.GetAsync("m", Ct)).Queue);
    }

    [Fact]
    public async Task Taking_gives_the_head_or_the_one_chosen_and_a_restore_puts_them_back_first()
    {
        var stores = await CreateStoresAsync();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await stores.Speakers.EnqueueAsync("m", id, 5, 10, Ct);
        }

        var (first, _) = await stores.Speakers.TakeAsync("m", null, Ct);
        var (chosen, afterChosen) = await stores.Speakers.TakeAsync("m", "c", Ct);
        var restored = await stores.Speakers.RestoreAsync("m", chosen!, Ct);
        var (outsider, _) = await stores.Speakers.TakeAsync("m", "z", Ct);

        Assert.Equal(new SpeakerTaken("a", 5, null), first);
        Assert.Equal(new SpeakerTaken("c", 5, "a"), chosen);
        Assert.Equal(("c", "b"), (afterChosen.CurrentSpeakerId, string.Join(',', afterChosen.Queue.Select(q => q.ParticipantId))));
        Assert.Equal(("a", "c,b"), (restored.CurrentSpeakerId, string.Join(',', restored.Queue.Select(q => q.ParticipantId))));
        Assert.Equal(new SpeakerTaken("z", null, "a"), outsider);
        Assert.Null((await stores.Speakers.TakeAsync("other", null, Ct)).Taken);
    }

    [Fact]
    public async Task Speaking_time_runs_from_holding_the_floor_to_losing_it_and_adds_up_over_turns()
    {
        var stores = await CreateStoresAsync();
        await stores.Meetings.SaveParticipantAsync(new Participant("m", "a", "Ana", ParticipantRole.Participant, 1), Ct);

        await stores.Floor.RequestAsync("m", "a", 3, Ct);
        var (started, speaking) = await stores.Speakers.SyncTurnsAsync("m", 1_000, Ct);
        var (quiet, _) = await stores.Speakers.SyncTurnsAsync("m", 2_000, Ct);
        await stores.Floor.ReleaseAsync("m", "a", 3, Ct);
        var (_, afterFirst) = await stores.Speakers.SyncTurnsAsync("m", 4_000, Ct);
        await stores.Floor.RequestAsync("m", "a", 3, Ct);
        await stores.Speakers.SyncTurnsAsync("m", 10_000, Ct);
        await stores.Floor.SetMutedAsync("m", "a", muted: true, 3, Ct);
        var (_, afterSecond) = await stores.Speakers.SyncTurnsAsync("m", 10_500, Ct);
        var limited = await stores.Speakers.SetTimeLimitAsync("m", 90, Ct);

        Assert.Equal(SpeakersChange.Changed, started);
        Assert.Equal(SpeakersChange.Unchanged, quiet);
        Assert.Equal(new SpeakingTimeView("a", "Ana", 0, 1, 1_000), Assert.Single(speaking.Times));
        Assert.Equal(new SpeakingTimeView("a", "Ana", 3_000, 1, null), Assert.Single(afterFirst.Times));
        Assert.Equal(new SpeakingTimeView("a", "Ana", 3_500, 2, null), Assert.Single(afterSecond.Times));
        Assert.Equal(90, limited.TimeLimitSeconds);
        Assert.True(limited.Version > afterSecond.Version);
    }

    [Fact]
    public async Task A_participant_update_renames_and_promotes_atomically_and_a_key_moderator_is_never_promoted()
    {
        var stores = await CreateStoresAsync();
        await stores.Meetings.SaveParticipantAsync(new Participant("m", "a", "Ana", ParticipantRole.Participant, 1_764_410_400_123), Ct);
        await stores.Meetings.SaveParticipantAsync(new Participant("m", "k", "Chair", ParticipantRole.Moderator, 1), Ct);

        var renamed = await stores.Meetings.UpdateParticipantAsync("m", "a", "Ana B", role: null, Ct);
        var promoted = await stores.Meetings.UpdateParticipantAsync("m", "a", displayName: null, ParticipantRole.Moderator, Ct);
        var both = await Task.WhenAll(
            stores.Meetings.UpdateParticipantAsync("m", "a", "Ana C", role: null, Ct),
            stores.Meetings.UpdateParticipantAsync("m", "a", displayName: null, ParticipantRole.Moderator, Ct));
        var key = await stores.Meetings.UpdateParticipantAsync("m", "k", displayName: null, ParticipantRole.Moderator, Ct);
        var demoted = await stores.Meetings.UpdateParticipantAsync("m", "a", displayName: null, ParticipantRole.Participant, Ct);

        Assert.Equal(new Participant("m", "a", "Ana B", ParticipantRole.Participant, 1_764_410_400_123), renamed);
        Assert.Equal(new Participant("m", "a", "Ana B", ParticipantRole.Moderator, 1_764_410_400_123, Promoted: true), promoted);
        Assert.NotNull(both[0]);
        Assert.Equal(new Participant("m", "k", "Chair", ParticipantRole.Moderator, 1), key);
        Assert.Equal(new Participant("m", "a", "Ana C", ParticipantRole.Participant, 1_764_410_400_123), demoted);
        Assert.Null(await stores.Meetings.UpdateParticipantAsync("m", "nobody", "X", role: null, Ct));
        Assert.Null(await stores.Meetings.UpdateParticipantAsync("other", "a", "X", role: null, Ct));
    }

    [Fact]
    public async Task A_presence_update_changes_name_and_role_and_keeps_the_hand()
    {
        var stores = await CreateStoresAsync();
        await stores.Presence.AcquireLeaseAsync("node-a", 10_000, Ct);
        await stores.Presence.ArriveAsync("m", "node-a", new ParticipantView("a", "Ana", ParticipantRole.Participant, false), 1_000, Ct);
        await stores.Presence.SetHandAsync("m", "a", raised: true, Ct);

        var updated = await stores.Presence.UpdateAsync("m", "a", "Ana 👋", ParticipantRole.Moderator, Ct);

        Assert.Equal(new ParticipantView("a", "Ana 👋", ParticipantRole.Moderator, true), updated);
        Assert.Equal([updated!], await stores.Presence.ListAsync("m", 2_000, Ct));
        Assert.Null(await stores.Presence.UpdateAsync("m", "nobody", "X", ParticipantRole.Participant, Ct));
    }
}
