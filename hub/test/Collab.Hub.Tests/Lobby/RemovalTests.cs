using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.Rules;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Lobby;

public sealed class RemovalTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_removed_participant_is_told_why_then_closed_on_every_node_loses_floor_hand_and_presence_and_its_token_is_refused(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Public consultation", Cancel);
        var (moderator, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (member, _) = await deployment.A.JoinAsync(meeting, "Ben");
        await using var _b = member;
        var (first, join) = await deployment.A.JoinAsync(meeting, "Troll");
        await using var _f = first;
        await using var second = await deployment.B.ConnectAsync();
        await second.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));
        await first.InvokeAsync<ParticipantView>(nameof(MeetingHub.RaiseHand));
        await first.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        // A co-moderator on node B has the participant's membership cached there (a floor call on it).
        var (coModerator, _) = await deployment.B.JoinAsync(meeting, "Co-chair", moderator: true);
        await using var _c = coModerator;
        await coModerator.InvokeAsync<FloorView>(nameof(MeetingHub.SetMuted), join.ParticipantId, false);

        var told = new[] { first, second }.Select(client => (Client: client, Removed: new Pushes<string>(client, nameof(IMeetingClient.RemovedFromMeeting)), Closed: Closed(client))).ToList();
        var refused = await Assert.ThrowsAsync<HubException>(() => member.InvokeAsync(nameof(MeetingHub.RemoveParticipant), join.ParticipantId));
        Assert.StartsWith("forbidden:", refused.Reason(), StringComparison.Ordinal);
        var foreign = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync(nameof(MeetingHub.RemoveParticipant), "nobodyatall12345"));
        Assert.StartsWith("not_found:", foreign.Reason(), StringComparison.Ordinal);

        await moderator.InvokeAsync(nameof(MeetingHub.RemoveParticipant), join.ParticipantId);

        foreach (var (client, removed, closed) in told)
        {
            var reasons = await removed.WaitForAsync(items => items.Count == 1, "the removal push");
            Assert.Equal("A moderator removed you from this meeting.", reasons[0]);
            await closed.WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        }

        await member.WaitForAsync(c => c.LeftReceived.Contains(join.ParticipantId), "the removed participant leaving");
        await moderator.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => !f.Speakers.Contains(join.ParticipantId)) && c.LeftReceived.Contains(join.ParticipantId), "the floor released and the leave");
        foreach (var node in new[] { deployment.A, deployment.B })
        {
            await using var back = await node.ConnectAsync();
            var error = await Assert.ThrowsAsync<HubException>(() => back.JoinAsync(new JoinRequest(meeting.MeetingId, "Troll", ResumeToken: join.ResumeToken)));
            Assert.Equal("removed: A moderator removed you from this meeting.", error.Reason());
        }

        var participants = await moderator.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));
        Assert.DoesNotContain(participants, p => p.ParticipantId == join.ParticipantId);
        Assert.DoesNotContain(join.ParticipantId, (await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.GetFloor))).Speakers);
        foreach (var caller in new[] { moderator, coModerator })
        {
            var grant = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), join.ParticipantId));
            Assert.Equal($"not_found: No participant '{join.ParticipantId}' in this meeting.", grant.Reason());
        }

        Assert.Equal(1, member.LeftReceived.Count(id => id == join.ParticipantId));
    }

    private static Task Closed(MeetingClient client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
