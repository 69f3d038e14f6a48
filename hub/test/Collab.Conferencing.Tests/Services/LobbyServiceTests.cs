using Collab.Conferencing.Lobby;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Tests.Services;

public sealed class LobbyServiceTests
{
    [Fact]
    public async Task A_waiter_holds_no_session_leaves_the_list_when_its_connection_closes_and_keeps_its_id_when_it_comes_back()
    {
        using var harness = new Harness();
        var lobby = harness.Services.GetRequiredService<LobbyService>();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        await lobby.SetEnabledAsync(moderator, enabled: true);

        var (first, waiting) = await harness.JoinAsync(meeting, "Ana");
        Assert.True(waiting.Waiting);
        Assert.Null(harness.Registry.Find(first));
        Assert.Equal(["Ana"], (await lobby.GetAsync(moderator)).Waiting.Select(w => w.DisplayName));

        // A reconnect on a new connection (the old one not yet gone) waits under the same id; the old one's close leaves it there.
        var second = harness.NewConnectionId();
        var back = await harness.Meetings.JoinAsync(second, new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: waiting.ResumeToken));
        await harness.Meetings.DisconnectAsync(first);
        Assert.True(await lobby.WaiterGoneAsync(first));

        Assert.Equal(waiting.ParticipantId, back.ParticipantId);
        Assert.Equal([waiting.ParticipantId], (await lobby.GetAsync(moderator)).Waiting.Select(w => w.WaiterId));
        Assert.True(await lobby.WaiterGoneAsync(second));
        Assert.Empty((await lobby.GetAsync(moderator)).Waiting);
        Assert.False(await lobby.WaiterGoneAsync(second));

        // Waiting, then joining with the moderator key on the same connection: the place is given up.
        var third = harness.NewConnectionId();
        await harness.Meetings.JoinAsync(third, new JoinRequest(meeting.MeetingId, "Ben", JoinCode: meeting.JoinCode));
        Assert.Single((await lobby.GetAsync(moderator)).Waiting);
        var promoted = await harness.Meetings.JoinAsync(third, new JoinRequest(meeting.MeetingId, "Ben", ModeratorKey: meeting.ModeratorKey));
        Assert.Equal(ParticipantRole.Moderator, promoted.Role);
        Assert.Empty((await lobby.GetAsync(moderator)).Waiting);
    }

    [Fact]
    public async Task Removing_closes_each_local_connection_after_telling_it_and_refuses_the_token_and_self_removal()
    {
        using var harness = new Harness();
        var removal = harness.Services.GetRequiredService<ParticipantRemoval>();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, moderatorJoin) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (first, join) = await harness.JoinAsync(meeting, "Troll");
        var second = harness.NewConnectionId();
        await harness.Meetings.JoinAsync(second, new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));

        await removal.RemoveAsync(moderator, join.ParticipantId);

        var told = harness.LobbyNotifier.Events.Where(e => e.Target == first || e.Target == second).Select(e => (e.Target, e.Event)).ToList();
        Assert.Equal([(first, "removed"), (first, "abort"), (second, "removed"), (second, "abort")], told.OrderBy(e => e.Target, StringComparer.Ordinal).ThenByDescending(e => e.Event, StringComparer.Ordinal));
        Assert.Null(harness.Registry.Find(first));
        Assert.Null(harness.Registry.Find(second));
        Assert.Single(harness.Notifier.Of<string>("left"), join.ParticipantId);
        var refused = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken)));
        Assert.Equal(ConferencingError.Removed, refused.Error);
        var self = await Assert.ThrowsAsync<ConferencingException>(() => removal.RemoveAsync(moderator, moderatorJoin.ParticipantId));
        Assert.Equal(ConferencingError.InvalidInput, self.Error);
    }
}
