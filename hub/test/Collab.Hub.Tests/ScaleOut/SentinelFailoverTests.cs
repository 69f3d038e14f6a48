using System.Diagnostics;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.ScaleOut;

/// <summary>
/// Two hub nodes connected through three real redis-sentinel processes (StackExchange.Redis's service name) to a
/// primary and its replica. The primary is killed mid-meeting; Sentinel promotes the replica and the hubs follow.
/// </summary>
public sealed class SentinelFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_failoverLimit = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task When_the_primary_dies_mid_meeting_the_replica_is_promoted_and_the_meeting_continues_on_both_nodes()
    {
        await using var redis = await RedisSentinelDeployment.StartAsync();
        await using var nodes = await ScaleOutCluster.StartAsync(redis!.ConnectionString);
        var meeting = await nodes.A.CreateMeetingAsync("Consultation", Cancel);
        var (moderator, _) = await nodes.A.JoinAsync(meeting, "Lea", moderator: true);
        await using var _m = moderator;
        var (ana, _) = await nodes.B.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Adopt the plan?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        await ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0]));
        var before = new List<ChatMessage>();
        for (var i = 0; i < 10; i++)
        {
            before.Add(await ana.SendChatAsync($"before-{i}", $"before the failover #{i}"));
        }

        // Replication is asynchronous: wait until the replica holds what was acknowledged, so this test is about the
        // hubs following the failover (what an unreplicated write loses is measured in the next test).
        Assert.Equal(1, await WaitForReplicaAsync(redis.Primary));
        await redis.Primary.StopAsync();
        var failover = Stopwatch.StartNew();

        var after = await UntilAcknowledgedAsync(() => ana.SendChatAsync("after-0", "after the failover"));
        output.WriteLine($"First chat message acknowledged {failover.Elapsed.TotalSeconds:F1} s after the primary was killed.");
        Assert.Equal(redis.Replica.Port, await PrimaryPortOnceSettledAsync(redis, redis.Replica.Port));

        // Each node switches to the new primary on its own; a push published by a node still switching may be lost
        // (pushes are best effort, and clients catch up by sequence: hub/PROTOCOL.md). Within a bounded time pushes
        // cross between the nodes both ways again.
        var probes = new List<ChatMessage>();
        probes.AddRange(await UntilPushedAcrossAsync(ana, moderator, "b"));
        probes.AddRange(await UntilPushedAcrossAsync(moderator, ana, "a"));
        output.WriteLine($"Pushes crossed between the nodes both ways {failover.Elapsed.TotalSeconds:F1} s after the kill ({probes.Count} probe messages).");
        await UntilAcknowledgedAsync(() => ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1])));
        var (late, _) = await UntilAcknowledgedAsync(() => nodes.A.JoinAsync(meeting, "Late"));
        await using var _l = late;

        await moderator.WaitForAsync(client => client.TalliesReceived.Any(tally => tally.PollId == poll.PollId && tally.Counts.SequenceEqual([0, 1])), "the changed vote in the tally");
        await ana.WaitForAsync(client => client.JoinedReceived.Any(participant => participant.DisplayName == "Late"), "a join on node A after the failover seen on node B");
        var history = await moderator.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 100);
        Assert.Equal([.. before, after, .. probes], history.Messages);
        Assert.Equal(Enumerable.Range(1, history.Messages.Count).Select(i => (long)i), history.Messages.Select(message => message.Sequence));
    }

    /// <summary>Sends from <paramref name="sender"/> until one message is pushed to <paramref name="receiver"/> (on the other node) within a second; returns what was sent.</summary>
    private static async Task<List<ChatMessage>> UntilPushedAcrossAsync(MeetingClient sender, MeetingClient receiver, string tag)
    {
        var sent = new List<ChatMessage>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var probe = await UntilAcknowledgedAsync(() => sender.SendChatAsync($"probe-{tag}-{sent.Count}", $"probe {tag} {sent.Count}"));
            sent.Add(probe);
            try
            {
                await receiver.WaitForAsync(client => client.ChatReceived.Contains(probe), "a probe pushed across", TimeSpan.FromSeconds(1));
                return sent;
            }
            catch (TimeoutException) when (deadline.Elapsed < s_failoverLimit)
            {
            }
        }
    }

    [Fact]
    public async Task What_an_acknowledged_message_can_lose_in_a_failover_is_only_what_had_not_reached_the_replica()
    {
        await using var redis = await RedisSentinelDeployment.StartAsync();
        await using var nodes = await ScaleOutCluster.StartAsync(redis!.ConnectionString);
        var meeting = await nodes.A.CreateMeetingAsync("Consultation", Cancel);
        var (reader, _) = await nodes.A.JoinAsync(meeting, "Reader", moderator: true);
        await using var _r = reader;
        var senders = new List<MeetingClient>();
        for (var i = 0; i < 8; i++)
        {
            senders.Add((await (i % 2 == 0 ? nodes.A : nodes.B).JoinAsync(meeting, $"Sender {i}")).Client);
        }

        // Eight senders send as fast as acknowledgements come, without waiting for replication; the primary is
        // killed after 400 acknowledgements, and each sender goes on (retrying its unconfirmed message with the same
        // id) until 50 more of its messages are acknowledged.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(ChatMessage Message, bool BeforeKill)>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killAt = 400;
        var sending = senders.Select((sender, index) => Task.Run(async () =>
        {
            var afterKill = 0;
            for (var n = 0; n < 5_000 && afterKill < 50; n++)
            {
                var wasKilled = killed.Task.IsCompleted;
                var message = await UntilAcknowledgedAsync(() => sender.SendChatAsync($"s{index}-{n}", $"sender {index} message {n}"));
                acknowledged.Add((message, !wasKilled));
                afterKill += wasKilled ? 1 : 0;
                if (Interlocked.Decrement(ref killAt) == 0)
                {
                    await redis.Primary.StopAsync();
                    killed.SetResult();
                }
            }
        }, Cancel)).ToList();
        await Task.WhenAll(sending).WaitAsync(TimeSpan.FromSeconds(120), Cancel);

        var stored = new List<ChatMessage>();
        for (var page = await reader.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 200); ; page = await reader.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), stored[^1].Sequence, 200))
        {
            stored.AddRange(page.Messages);
            if (!page.HasMore)
            {
                break;
            }
        }

        var storedIds = stored.Select(message => message.ClientMessageId).ToHashSet(StringComparer.Ordinal);
        var lostBefore = acknowledged.Where(ack => ack.BeforeKill && !storedIds.Contains(ack.Message.ClientMessageId)).ToList();
        var lostAfter = acknowledged.Where(ack => !ack.BeforeKill && !storedIds.Contains(ack.Message.ClientMessageId)).ToList();
        var reused = acknowledged.Where(ack => stored.Any(message => message.Sequence == ack.Message.Sequence && message.ClientMessageId != ack.Message.ClientMessageId)).ToList();
        output.WriteLine($"acknowledged before the kill: {acknowledged.Count(ack => ack.BeforeKill)}, after: {acknowledged.Count(ack => !ack.BeforeKill)}; " +
            $"lost of those acknowledged before: {lostBefore.Count}, after: {lostAfter.Count}; acknowledged sequence numbers given again to another message: {reused.Count}");

        // Nothing acknowledged by the new primary is lost, the log has one message per sequence number, and only the
        // last acknowledgements before the kill can be missing (those past the replica's offset).
        Assert.Empty(lostAfter);
        Assert.Equal(stored.Count, stored.Select(message => message.Sequence).Distinct().Count());
        var lastKept = stored.Where(message => acknowledged.Any(ack => ack.BeforeKill && ack.Message.ClientMessageId == message.ClientMessageId)).Select(message => message.Sequence).DefaultIfEmpty(0).Max();
        Assert.All(lostBefore, ack => Assert.True(ack.Message.Sequence > lastKept - 8, $"lost message {ack.Message.Sequence} is not among the last before the kill (last kept {lastKept})"));
        foreach (var sender in senders)
        {
            await sender.DisposeAsync();
        }
    }

    /// <summary>Calls <paramref name="call"/> until the hub acknowledges it; <c>unavailable</c> refusals (Redis failing over) are retried.</summary>
    private static async Task<T> UntilAcknowledgedAsync<T>(Func<Task<T>> call)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (HubException refused) when (refused.Reason().StartsWith("unavailable", StringComparison.Ordinal) && deadline.Elapsed < s_failoverLimit)
            {
                await Task.Delay(100, Cancel);
            }
        }
    }

    /// <summary>The primary's port as the Sentinels report it, waiting (bounded) for them to agree on <paramref name="expected"/>.</summary>
    private static async Task<int?> PrimaryPortOnceSettledAsync(RedisSentinelDeployment redis, int expected)
    {
        var deadline = Stopwatch.StartNew();
        int? reported;
        while ((reported = await redis.CurrentPrimaryPortAsync()) != expected && deadline.Elapsed < s_failoverLimit)
        {
            await Task.Delay(100, Cancel);
        }

        return reported;
    }

    private static async Task<long> WaitForReplicaAsync(RedisServer primary)
    {
        await using var direct = await ConnectionMultiplexer.ConnectAsync(primary.ConnectionString);
        return (long)await direct.GetDatabase().ExecuteAsync("WAIT", 1, 5_000);
    }
}
