using System.Net;
using System.Net.Http.Json;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.ScaleOut;

public sealed class RedisOutageTests(RedisServer sharedRedis) : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("collab-redis-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Redis_restart_mid_meeting_fails_sends_clearly_while_down_loses_nothing_accepted_and_the_meeting_continues()
    {
        sharedRedis.SkipIfUnavailable();
        await using var redis = RedisServer.Persistent(_dataDirectory);
        await redis.InitializeAsync();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Regional assembly", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, _) = await cluster.A.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var (ben, _) = await cluster.B.JoinAsync(meeting, "Ben");
        await using var _b = ben;
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Continue?", ["Yes", "No"]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        var accepted = new List<ChatMessage> { await ana.SendChatAsync("a-1", "before the outage") };
        await ben.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0]));

        await redis.StopAsync();
        var sendWhileDown = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("a-2", "during the outage"));
        var voteWhileDown = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1])));
        using (var http = cluster.B.CreateHttpClient())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await WaitForReadyzAsync(http, HttpStatusCode.ServiceUnavailable));
            using var create = await http.PostAsJsonAsync(new Uri("/api/meetings", UriKind.Relative), new CreateMeetingRequest("During the outage"), Cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        }

        await redis.StartAsync();
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var http = node.CreateHttpClient();
            Assert.Equal(HttpStatusCode.OK, await WaitForReadyzAsync(http, HttpStatusCode.OK));
        }

        // The client retries what failed with the same client message id, then carries on.
        accepted.Add(await ana.SendChatAsync("a-2", "during the outage"));
        accepted.Add(await ben.SendChatAsync("b-1", "after the outage"));
        await ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1]));
        await ben.WaitForAsync(c => c.ChatReceived.Count == 3, "three messages on node B");
        await using var latecomer = await cluster.B.ConnectAsync();
        var lateJoin = await latecomer.JoinAsync(new JoinRequest(meeting.MeetingId, "Late", JoinCode: meeting.JoinCode));
        var history = await ben.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 100);
        var closed = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId);

        Assert.StartsWith("unavailable: The meeting's shared state (Redis) is unreachable", sendWhileDown.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("unavailable:", voteWhileDown.Reason(), StringComparison.Ordinal);
        Assert.Equal([1L, 2, 3], accepted.Select(m => m.Sequence));
        Assert.Equal(accepted, history.Messages);
        Assert.Equal(accepted, ben.ChatReceived);
        Assert.Equal([1, 1], closed.Tally.Counts);
        Assert.Equal(3, lateJoin.LastChatSequence);
    }

    /// <summary>Polls /readyz until it returns <paramref name="expected"/> or 20 s pass; returns the last status.</summary>
    private static async Task<HttpStatusCode> WaitForReadyzAsync(HttpClient http, HttpStatusCode expected)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var status = HttpStatusCode.InternalServerError;
        try
        {
            do
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), deadline.Token);
                status = response.StatusCode;
            }
            while (status != expected && await poll.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
        {
            // Deadline reached: report the last status seen.
        }

        return status;
    }
}
