using Collab.Conferencing.Model;

namespace Collab.Conferencing.Tests.Services;

public sealed class PresenceServiceTests
{
    [Fact]
    public async Task Participant_whose_node_stops_refreshing_it_expires_and_members_are_told_it_left()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"));
        var meeting = await harness.CreateMeetingAsync();
        var (anaConnection, ana) = await harness.JoinAsync(meeting, "Ana");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);
        Assert.Single(await harness.Presence.ListAsync(meeting.MeetingId, TestContext.Current.CancellationToken));

        // The node serving Ana dies: its connection vanishes without any goodbye reaching the store.
        harness.Registry.Remove(anaConnection);
        harness.Time.Advance(TimeSpan.FromSeconds(19));
        await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);
        Assert.Single(await harness.Presence.ListAsync(meeting.MeetingId, TestContext.Current.CancellationToken));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await harness.Presence.ListAsync(meeting.MeetingId, TestContext.Current.CancellationToken));
        Assert.Equal([ana.ParticipantId], harness.Notifier.Of<string>("left"));
    }

    [Fact]
    public async Task Heartbeats_keep_a_connected_participant_present_past_the_timeout()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"));
        var meeting = await harness.CreateMeetingAsync();
        await harness.JoinAsync(meeting, "Ana");

        for (var i = 0; i < 6; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(10));
            await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(await harness.Presence.ListAsync(meeting.MeetingId, TestContext.Current.CancellationToken));
        Assert.Empty(harness.Notifier.Of<string>("left"));
    }

    [Fact]
    public async Task A_heartbeat_refreshes_every_participant_of_a_node_beyond_one_batch()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"), ("PresenceBroadcastLimit", "1000"));
        var meeting = await harness.CreateMeetingAsync();
        for (var i = 0; i < 600; i++)
        {
            await harness.JoinAsync(meeting, $"P{i}");
        }

        harness.Time.Advance(TimeSpan.FromSeconds(15));
        await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.Presence.HeartbeatAsync(TestContext.Current.CancellationToken);

        Assert.Equal(600, (await harness.Presence.ListAsync(meeting.MeetingId, TestContext.Current.CancellationToken)).Count);
        Assert.Empty(harness.Notifier.Of<string>("left"));
        Assert.Equal(600, harness.Notifier.Of<ParticipantView>("joined").Count);
    }

    [Fact]
    public async Task Raising_and_lowering_a_hand_is_pushed_and_listed()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");

        var raised = await harness.Presence.SetHandAsync(ana, raised: true);
        var listed = await harness.Meetings.GetParticipantsAsync(ana);
        var lowered = await harness.Presence.SetHandAsync(ana, raised: false);

        Assert.True(raised.HandRaised);
        Assert.True(Assert.Single(listed).HandRaised);
        Assert.False(lowered.HandRaised);
        Assert.Equal([true, false], harness.Notifier.Of<ParticipantView>("updated").Select(p => p.HandRaised));
    }

    [Fact]
    public async Task Leaving_removes_the_participant_at_once()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (ana, joined) = await harness.JoinAsync(meeting, "Ana");
        var (ben, _) = await harness.JoinAsync(meeting, "Ben");

        await harness.Meetings.LeaveAsync(ana);

        Assert.Equal(["Ben"], (await harness.Meetings.GetParticipantsAsync(ben)).Select(p => p.DisplayName));
        Assert.Equal([joined.ParticipantId], harness.Notifier.Of<string>("left"));
    }

    [Fact]
    public async Task A_connection_that_rejoins_as_someone_else_takes_its_old_identity_out_of_the_list()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (connection, first) = await harness.JoinAsync(meeting, "Ana");

        var second = await harness.Meetings.JoinAsync(connection, new JoinRequest(meeting.MeetingId, "Chair", ModeratorKey: meeting.ModeratorKey));

        Assert.Equal(["Chair"], (await harness.Meetings.GetParticipantsAsync(connection)).Select(p => p.DisplayName));
        Assert.Equal([first.ParticipantId], harness.Notifier.Of<string>("left"));
        Assert.Equal(ParticipantRole.Moderator, second.Role);
    }

    [Fact]
    public async Task Over_the_broadcast_limit_joins_go_to_moderators_and_everyone_gets_the_count_coalesced()
    {
        using var harness = new Harness(("PresenceBroadcastLimit", "3"), ("ParticipantCountPushIntervalMilliseconds", "2000"));
        var meeting = await harness.CreateMeetingAsync();
        var (anaConnection, _) = await harness.JoinAsync(meeting, "Ana");
        await harness.JoinAsync(meeting, "Ben");
        var (_, third) = await harness.JoinAsync(meeting, "Cy");
        var (fourthConnection, fourth) = await harness.JoinAsync(meeting, "Di");
        var (fifthConnection, fifth) = await harness.JoinAsync(meeting, "Ed");

        Assert.Equal(["Ana", "Ben", "Cy"], harness.Notifier.Of<ParticipantView>("joined").Select(p => p.DisplayName));
        Assert.Equal(["Di", "Ed"], harness.Notifier.Of<ParticipantView>("joined:moderators").Select(p => p.DisplayName));
        Assert.Equal(3, third.ParticipantCount);
        Assert.Equal(3, third.Participants.Count);
        Assert.Equal(5, fifth.ParticipantCount);
        Assert.Empty(fifth.Participants);

        // The first count goes out at once, the next after the interval, carrying everything stored by then.
        await WaitForAsync(() => harness.Notifier.Of<ParticipantCountView>("count").Count == 1);
        Assert.Equal([new ParticipantCountView(4, Listed: false)], harness.Notifier.Of<ParticipantCountView>("count"));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitForAsync(() => harness.Notifier.Of<ParticipantCountView>("count").Count == 2);
        Assert.Equal([4, 5], harness.Notifier.Of<ParticipantCountView>("count").Select(c => c.Count));

        // Falling back to the limit: a leave above it goes to moderators only, the one at it to everyone, and one last
        // count tells everyone to fetch the list again.
        await harness.Meetings.LeaveAsync(fourthConnection, TestContext.Current.CancellationToken);
        await harness.Meetings.LeaveAsync(fifthConnection, TestContext.Current.CancellationToken);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitForAsync(() => harness.Notifier.Of<ParticipantCountView>("count").Count == 3);
        Assert.Equal(new ParticipantCountView(3, Listed: true), harness.Notifier.Of<ParticipantCountView>("count")[^1]);
        Assert.Equal([fourth.ParticipantId], harness.Notifier.Of<string>("left:moderators"));
        Assert.Equal([fifth.ParticipantId], harness.Notifier.Of<string>("left"));

        // Back at the limit the meeting is forgotten: a raised hand goes to everyone and pushes no count.
        await harness.Presence.SetHandAsync(anaConnection, raised: true, TestContext.Current.CancellationToken);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(harness.Notifier.Of<ParticipantView>("updated"));
        Assert.Equal(3, harness.Notifier.Of<ParticipantCountView>("count").Count);
    }

    [Fact]
    public async Task Moderators_always_get_the_whole_list_on_joining()
    {
        using var harness = new Harness(("PresenceBroadcastLimit", "2"));
        var meeting = await harness.CreateMeetingAsync();
        await harness.JoinAsync(meeting, "Ana");
        await harness.JoinAsync(meeting, "Ben");
        await harness.JoinAsync(meeting, "Cy");

        var (_, moderator) = await harness.JoinAsync(meeting, "Host", moderator: true);

        Assert.Equal(4, moderator.ParticipantCount);
        Assert.Equal(4, moderator.Participants.Count);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the expected push never came");
    }
}
