using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Hub.Tests.ScaleOut;

public sealed class PresenceExpiryTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Participant_left_behind_by_a_dead_node_disappears_from_every_list_once_its_presence_expires()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis,
            ("Collab:Conferencing:PresenceTimeoutSeconds", "1"), ("Collab:Conferencing:HeartbeatIntervalSeconds", "0.2"));
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (onA, _) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _a = onA;
        var (onB, _) = await cluster.B.JoinAsync(meeting, "Ben");
        await using var _b = onB;

        // A third node registered a participant in the shared store, then died: nobody refreshes the entry any more.
        var store = cluster.A.Services.GetRequiredService<IPresenceStore>();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds();
        await store.UpsertAsync(meeting.MeetingId, new PresenceEntry(new ParticipantView("ghost", "Ghost", ParticipantRole.Participant, false), "dead-node-connection"), expiresAt, Cancel);
        var before = await onB.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

        await onA.WaitForAsync(c => c.LeftReceived.Contains("ghost"), "the ghost's departure on node A", TimeSpan.FromSeconds(15));
        await onB.WaitForAsync(c => c.LeftReceived.Contains("ghost"), "the ghost's departure on node B", TimeSpan.FromSeconds(15));
        var after = await onB.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

        Assert.Equal(["Ana", "Ben", "Ghost"], before.Select(p => p.DisplayName));
        Assert.Equal(["Ana", "Ben"], after.Select(p => p.DisplayName));
        Assert.Single(onB.LeftReceived, id => id == "ghost");
        Assert.DoesNotContain(onB.LeftReceived, id => id != "ghost");
    }
}
