using System.Diagnostics;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.ScaleOut;

/// <summary>Presence by node lease on two real hub nodes and a real redis-server, with short timeouts.</summary>
public sealed class PresenceLeaseTests(RedisServer redis)
{
    // Short, but with room for a busy machine: a healthy node that misses renewals for this long would lose its lease.
    private const double TimeoutSeconds = 3;

    private static readonly (string Key, string Value)[] s_shortTimeouts =
    [
        ("Collab:Conferencing:PresenceTimeoutSeconds", "3"), ("Collab:Conferencing:HeartbeatIntervalSeconds", "0.3"),
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Participant_left_behind_by_a_dead_node_disappears_from_every_list_once_its_lease_lapses()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, s_shortTimeouts);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (onA, _) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _a = onA;
        var (onB, _) = await cluster.B.JoinAsync(meeting, "Ben");
        await using var _b = onB;

        // A third node recorded a participant under its lease, then died: nobody renews the lease any more.
        var store = cluster.A.Services.GetRequiredService<IPresenceStore>();
        var now = DateTimeOffset.UtcNow;
        await store.AcquireLeaseAsync("dead-node", now.AddSeconds(3).ToUnixTimeMilliseconds(), Cancel);
        await store.ArriveAsync(meeting.MeetingId, "dead-node", new ParticipantView("ghost", "Ghost", ParticipantRole.Participant, false), now.ToUnixTimeMilliseconds(), Cancel);
        var before = await onB.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

        await onA.WaitForAsync(c => c.LeftReceived.Contains("ghost"), "the ghost's departure on node A", TimeSpan.FromSeconds(15));
        await onB.WaitForAsync(c => c.LeftReceived.Contains("ghost"), "the ghost's departure on node B", TimeSpan.FromSeconds(15));
        var after = await onB.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

        Assert.Equal(["Ana", "Ben", "Ghost"], before.Select(p => p.DisplayName));
        Assert.Equal(["Ana", "Ben"], after.Select(p => p.DisplayName));
        Assert.Single(onB.LeftReceived, id => id == "ghost");
        Assert.DoesNotContain(onB.LeftReceived, id => id != "ghost");
    }

    [Fact]
    public async Task A_node_that_dies_takes_its_participants_off_the_survivor_s_list_within_the_presence_timeout_each_once()
    {
        redis.SkipIfUnavailable();
        await using var proxy = new TcpProxy(new Uri($"http://127.0.0.1:{redis.Port}"));
        await using var cluster = await ScaleOutCluster.StartAsync(redis, $"127.0.0.1:{proxy.Address.Port},abortConnect=false", s_shortTimeouts);
        var meeting = await cluster.A.CreateMeetingAsync("Town hall", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var onB = await JoinManyAsync(cluster.B, meeting, 12);
        await moderator.WaitForAsync(c => c.JoinedReceived.Count == 13, "twelve arrivals on node B (and the chair's own)");

        // Node B dies: first its link to Redis (so no goodbye reaches the store), then the process with its clients.
        var died = Stopwatch.StartNew();
        proxy.Cut();
        await cluster.B.DisposeAsync();
        await moderator.WaitForAsync(c => c.LeftReceived.Count(id => onB.Any(b => b.Join.ParticipantId == id)) >= 12, "node B's participants leaving", TimeSpan.FromSeconds(TimeoutSeconds + 10));
        var cleared = died.Elapsed;
        var list = await moderator.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));
        await DisposeAllAsync(onB);

        Assert.Equal(["Chair"], list.Select(p => p.DisplayName));
        Assert.Equal(onB.Select(c => c.Join.ParticipantId).Order(), moderator.LeftReceived.Where(id => onB.Any(b => b.Join.ParticipantId == id)).Order());
        Assert.True(cleared < TimeSpan.FromSeconds(TimeoutSeconds + 8), $"cleared after {cleared}");
    }

    [Fact]
    public async Task A_node_cut_off_past_the_timeout_records_its_participants_again_on_return_with_one_arrival_each()
    {
        redis.SkipIfUnavailable();
        await using var proxy = new TcpProxy(new Uri($"http://127.0.0.1:{redis.Port}"));
        await using var cluster = await ScaleOutCluster.StartAsync(redis, $"127.0.0.1:{proxy.Address.Port},abortConnect=false", s_shortTimeouts);
        var meeting = await cluster.A.CreateMeetingAsync("Town hall", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var onB = await JoinManyAsync(cluster.B, meeting, 8);
        try
        {
            await moderator.WaitForAsync(c => c.JoinedReceived.Count == 9, "eight arrivals on node B (and the chair's own)");
            var firstNodeId = cluster.B.Services.GetRequiredService<PresenceService>().NodeId;

            // Node B stalls as far as the others can tell (its clients stay connected to it): its lease lapses and A sweeps it.
            proxy.Cut();
            await moderator.WaitForAsync(c => c.LeftReceived.Count(id => onB.Any(b => b.Join.ParticipantId == id)) == 8, "node B's participants leaving while it is cut off", TimeSpan.FromSeconds(TimeoutSeconds + 10));
            Assert.Equal(["Chair"], (await moderator.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants))).Select(p => p.DisplayName));

            proxy.Restore();
            var idsOnB = onB.Select(c => c.Join.ParticipantId).ToHashSet();
            await moderator.WaitForAsync(c => c.JoinedReceived.Count(p => idsOnB.Contains(p.ParticipantId)) >= 16, "node B's participants arriving again", TimeSpan.FromSeconds(45));
            var list = await moderator.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));

            Assert.Equal(9, list.Count);
            Assert.NotEqual(firstNodeId, cluster.B.Services.GetRequiredService<PresenceService>().NodeId);
            Assert.All(onB, c => Assert.Equal(2, moderator.JoinedReceived.Count(p => p.ParticipantId == c.Join.ParticipantId)));
            Assert.All(onB, c => Assert.Single(moderator.LeftReceived, id => id == c.Join.ParticipantId));

            // They are really back: a chat from node B reaches node A.
            await onB[0].Client.SendChatAsync("back-1", "back again");
            await moderator.WaitForAsync(c => c.ChatReceived.Any(m => m.ClientMessageId == "back-1"), "chat from node B after its return");
            Assert.Equal(16, moderator.JoinedReceived.Count(p => idsOnB.Contains(p.ParticipantId)));
        }
        finally
        {
            await DisposeAllAsync(onB);
        }
    }

    [Fact]
    public async Task A_participant_connected_to_both_nodes_stays_present_until_its_last_connection_closes_and_leaves_once()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, s_shortTimeouts);
        var meeting = await cluster.A.CreateMeetingAsync("Council", Cancel);
        var (ben, _) = await cluster.A.JoinAsync(meeting, "Ben");
        await using var _b = ben;
        var (anaOnA, anaJoin) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var anaOnB = await cluster.B.ConnectAsync();
        await anaOnB.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: anaJoin.ResumeToken));
        var store = cluster.A.Services.GetRequiredService<IPresenceStore>();
        var nodeA = cluster.A.Services.GetRequiredService<PresenceService>().NodeId!;

        await anaOnA.DisposeAsync();
        await EventuallyAsync(async () => !(await store.NodeParticipantsAsync(nodeA, Cancel)).Contains((meeting.MeetingId, anaJoin.ParticipantId)), "node A dropping Ana's record");
        await ben.SendChatAsync("ben-1", "are you still there?");
        await ben.WaitForAsync(c => c.ChatReceived.Any(m => m.ClientMessageId == "ben-1"), "Ben's own chat back");
        var whileOnB = await ben.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants));
        Assert.Empty(ben.LeftReceived);
        Assert.Equal(["Ana", "Ben"], whileOnB.Select(p => p.DisplayName));

        await anaOnB.DisposeAsync();
        await ben.WaitForAsync(c => c.LeftReceived.Contains(anaJoin.ParticipantId), "Ana leaving with her last connection");
        await ben.SendChatAsync("ben-2", "bye");
        await ben.WaitForAsync(c => c.ChatReceived.Any(m => m.ClientMessageId == "ben-2"), "Ben's second chat back");

        Assert.Equal([anaJoin.ParticipantId], ben.LeftReceived);
        Assert.Single(ben.JoinedReceived, p => p.ParticipantId == anaJoin.ParticipantId);
        Assert.Equal(["Ben"], (await ben.InvokeAsync<IReadOnlyList<ParticipantView>>(nameof(MeetingHub.GetParticipants))).Select(p => p.DisplayName));
    }

    private static async Task<List<(MeetingClient Client, JoinResult Join)>> JoinManyAsync(HubHost host, CreatedMeeting meeting, int count)
    {
        var joined = new List<(MeetingClient, JoinResult)>();
        for (var i = 0; i < count; i++)
        {
            joined.Add(await host.JoinAsync(meeting, $"P{i:00}"));
        }

        return joined;
    }

    private static async Task DisposeAllAsync(IEnumerable<(MeetingClient Client, JoinResult Join)> clients)
    {
        foreach (var (client, _) in clients)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Polls a store condition every 50 ms for at most 10 s.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"Timed out waiting for {what}.");
            await Task.Delay(50, Cancel);
        }
    }
}
