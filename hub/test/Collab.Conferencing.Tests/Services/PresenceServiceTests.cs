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
}
