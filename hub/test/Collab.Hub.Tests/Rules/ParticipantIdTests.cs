using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

public sealed class ParticipantIdTests(RedisServer redis)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Grant_revoke_mute_and_reports_refuse_ids_of_another_meeting_or_of_nobody(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Water committee", TestContext.Current.CancellationToken);
        var other = await deployment.B.CreateMeetingAsync("Roads committee", TestContext.Current.CancellationToken);
        var (moderator, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (member, memberJoin) = await deployment.B.JoinAsync(meeting, "Ana");
        await using var _a = member;
        var (stranger, strangerJoin) = await deployment.B.JoinAsync(other, "Zed");
        await using var _s = stranger;
        await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetFloorMode), new SetFloorModeRequest(FloorMode.OpenMic, 1));

        foreach (var phantom in new[] { strangerJoin.ParticipantId, "nobodyatall12345" })
        {
            var calls = new Func<Task>[]
            {
                () => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), phantom),
                () => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.RevokeFloor), phantom),
                () => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetMuted), phantom, true),
                () => member.InvokeAsync(nameof(MeetingHub.ReportReception), new ReceptionReportRequest(phantom, 0.1, 20, 0, 10, 0, 25)),
            };
            foreach (var call in calls)
            {
                var refused = await Assert.ThrowsAsync<HubException>(call);
                Assert.Equal($"not_found: No participant '{phantom}' in this meeting.", refused.Reason());
            }
        }

        // The phantoms took no place: the one open-mic place still goes to a real participant.
        var floor = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), memberJoin.ParticipantId);
        Assert.Equal([memberJoin.ParticipantId], floor.Speakers);
        Assert.Empty(floor.Muted);
        var malformed = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.GrantFloor), "not an id!"));
        Assert.StartsWith("invalid_input: participantId", malformed.Reason(), StringComparison.Ordinal);
    }
}
