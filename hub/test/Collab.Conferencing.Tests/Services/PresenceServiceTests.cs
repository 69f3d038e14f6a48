
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

public sealed class PresenceServiceTests
{
    [Fact]
    public async Task Participants_of_a_node_whose_lease_lapses_leave_once_and_the_rest_stay()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"));
        var meeting = await harness.CreateMeetingAsync();
        var (_, ana) = await harness.JoinAsync(meeting, "Ana");
        var store = harness.PresenceStore;
        var now = harness.Time.GetUtcNow();
        await store.AcquireLeaseAsync("other-node", now.AddSeconds(20).ToUnixTimeMilliseconds(), Ct);
        await store.ArriveAsync(meeting.MeetingId, "other-node", new ParticipantView("ghost", "Ghost", ParticipantRole.Participant, false), now.ToUnixTimeMilliseconds(), Ct);
        await store.ArriveAsync(meeting.MeetingId, "other-node", new ParticipantView(ana.ParticipantId, "Ana", ParticipantRole.Participant, false), now.ToUnixTimeMilliseconds(), Ct);

        // The other node dies: its lease is not renewed. This node's heartbeats keep its own lease alive.
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.Presence.HeartbeatAsync(Ct);
        Assert.Equal(2, (await harness.Presence.ListAsync(meeting.MeetingId, Ct)).Count);
        harness.Time.Advance(TimeSpan.FromSeconds(11));
        await harness.Presence.HeartbeatAsync(Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.Presence.HeartbeatAsync(Ct);

        Assert.Equal(["Ana"], (await harness.Presence.ListAsync(meeting.MeetingId, Ct)).Select(p => p.DisplayName));
        Assert.Equal(["ghost"], harness.Notifier.Of<string>("left"));
        Assert.Empty(await store.NodeParticipantsAsync("other-node", Ct));
    }

    [Fact]
    public async Task A_departure_the_store_never_saw_is_reconciled_by_the_heartbeats()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"));
        var meeting = await harness.CreateMeetingAsync();
        var (anaConnection, ana) = await harness.JoinAsync(meeting, "Ana");
        await harness.JoinAsync(meeting, "Ben");

        // Ana's connection went while the store was unreachable: the registry forgot her, the store did not.
        harness.Registry.Remove(anaConnection);
        await harness.Presence.HeartbeatAsync(Ct);
        Assert.Equal(2, (await harness.Presence.ListAsync(meeting.MeetingId, Ct)).Count);
        await harness.Presence.HeartbeatAsync(Ct);

        Assert.Equal(["Ben"], (await harness.Presence.ListAsync(meeting.MeetingId, Ct)).Select(p => p.DisplayName));
        Assert.Equal([ana.ParticipantId], harness.Notifier.Of<string>("left"));
    }

    [Fact]
    public async Task A_node_that_stalled_past_its_lease_records_its_participants_again_with_one_arrival_each()
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", "20"));
        var meeting = await harness.CreateMeetingAsync();
        await harness.JoinAsync(meeting, "Ana");
        await harness.JoinAsync(meeting, "Ben");
        var firstNode = harness.Presence.NodeId;

        // No heartbeat for longer than the timeout; another node claims and sweeps this one's lapsed lease.
        harness.Time.Advance(TimeSpan.FromSeconds(25));
        var now = harness.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await harness.PresenceStore.AcquireLeaseAsync("sweeper", now + 20_000, Ct);
        var claim = await harness.PresenceStore.HeartbeatAsync("sweeper", now, now + 20_000, now + 20_000, 8, Ct);
        var swept = await harness.PresenceStore.SweepNodeAsync(firstNode!, 100, Ct);
        Assert.Equal([firstNode!], claim.Claimed);
        Assert.Equal(2, swept.Left.Count);

        await harness.Presence.HeartbeatAsync(Ct);
        await harness.Presence.HeartbeatAsync(Ct);

        Assert.NotEqual(firstNode, harness.Presence.NodeId);
        Assert.Equal(["Ana", "Ben"], (await harness.Presence.ListAsync(meeting.MeetingId, Ct)).Select(p => p.DisplayName));
        Assert.Equal(["Ana", "Ana", "Ben", "Ben"], harness.Notifier.Of<ParticipantView>("joined").Select(p => p.DisplayName).Order());
        Assert.Empty(harness.Notifier.Of<string>("left"));
    }

    [Fact]
    public async Task A_participant_with_two_connections_stays_until_both_close_and_leaves_once()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (first, ana) = await harness.JoinAsync(meeting, "Ana");
        var (ben, _) = await harness.JoinAsync(meeting, "Ben");
        var second = harness.NewConnectionId();
        await harness.Meetings.JoinAsync(second, new JoinRequest(meeting.MeetingId, null, ResumeToken: ana.ResumeToken));

        await harness.Meetings.DisconnectAsync(first);
        var afterFirst = await harness.Meetings.GetParticipantsAsync(ben);
        await harness.Meetings.DisconnectAsync(second);

        Assert.Equal(["Ana", "Ben"], afterFirst.Select(p => p.DisplayName));
        Assert.Equal(["Ben"], (await harness.Meetings.GetParticipantsAsync(ben)).Select(p => p.DisplayName));
        Assert.Equal([ana.ParticipantId], harness.Notifier.Of<string>("left"));
        Assert.Single(harness.Notifier.Of<ParticipantView>("joined"), p => p.ParticipantId == ana.ParticipantId);
    }

    [Fact]
    public async Task Arrivals_and_departures_of_one_participant_racing_on_one_node_end_as_its_connections_are()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (first, ana) = await harness.JoinAsync(meeting, "Ana");
        var (ben, _) = await harness.JoinAsync(meeting, "Ben");

        // Reconnect storms: each round opens a connection for Ana and drops the previous one, concurrently.
        var previous = first;
        for (var round = 0; round < 20; round++)
        {
            var next = harness.NewConnectionId();
            await Task.WhenAll(
                harness.Meetings.JoinAsync(next, new JoinRequest(meeting.MeetingId, null, ResumeToken: ana.ResumeToken)),
                harness.Meetings.DisconnectAsync(previous));
            previous = next;
        }

        Assert.Equal(["Ana", "Ben"], (await harness.Meetings.GetParticipantsAsync(ben)).Select(p => p.DisplayName));
        await harness.Meetings.DisconnectAsync(previous);
        Assert.Equal(["Ben"], (await harness.Meetings.GetParticipantsAsync(ben)).Select(p => p.DisplayName));
        Assert.Equal(harness.Notifier.Of<ParticipantView>("joined").Count(p => p.ParticipantId == ana.ParticipantId), harness.Notifier.Of<string>("left").Count);
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

    [Theory]
    [InlineData("20", "5", true)]
    [InlineData("10", "5", true)]
    [InlineData("9", "5", false)]
    [InlineData("1", "1", false)]
    public void The_presence_timeout_must_outlive_two_heartbeats(string timeout, string heartbeat, bool valid)
    {
        using var harness = new Harness(("PresenceTimeoutSeconds", timeout), ("HeartbeatIntervalSeconds", heartbeat));

        if (valid)
        {
            Assert.Equal(double.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture), harness.Options.PresenceTimeoutSeconds);
        }
        else
        {
            var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => harness.Options);
            Assert.Contains("at least twice HeartbeatIntervalSeconds", refused.Message, StringComparison.Ordinal);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the expected push never came");
    }
}
