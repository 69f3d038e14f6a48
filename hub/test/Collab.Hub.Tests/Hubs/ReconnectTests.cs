using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Hubs;

public sealed class ReconnectTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_that_loses_its_link_reconnects_rejoins_with_its_token_and_catches_up_exactly_what_it_missed()
    {
        await using var host = await HubHost.StartAsync();
        await using var link = new TcpProxy(host.Address);
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;
        await using var ana = await MeetingClient.ConnectAsync(link.Address, HubProtocol.Json, HttpTransportType.WebSockets, Cancel,
            new JitteredRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        var join = await ana.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode));
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ana.Connection.Reconnecting += _ =>
        {
            reconnecting.TrySetResult();
            return Task.CompletedTask;
        };
        ana.Connection.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        var sent = new List<ChatMessage> { await ben.SendChatAsync("b-0", "before the drop") };
        await ana.WaitForAsync(c => c.ChatReceived.Count == 1, "the first message");

        link.Cut();
        await reconnecting.Task.WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        for (var i = 1; i <= 5; i++)
        {
            sent.Add(await ben.SendChatAsync($"b-{i}", $"while the link is down {i}"));
        }

        link.Restore();
        await reconnected.Task.WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        // The reconnected connection is new to the hub: rejoin with the token, then catch up from the last sequence seen.
        var rejoin = await ana.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));
        var lastSeen = ana.ChatReceived.Max(m => m.Sequence);
        var missed = await ana.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), lastSeen, 200);
        sent.Add(await ben.SendChatAsync("b-6", "after the rejoin"));
        await ana.WaitForAsync(c => c.ChatReceived.Any(m => m.Sequence == sent[^1].Sequence), "the message after the rejoin");

        var timeline = ana.ChatReceived.Concat(missed.Messages).DistinctBy(m => m.Sequence).OrderBy(m => m.Sequence);
        Assert.Equal(join.ParticipantId, rejoin.ParticipantId);
        Assert.Equal(sent[1..6], missed.Messages);
        Assert.Equal(sent, timeline);
        Assert.Equal(ana.ChatReceived.Count, ana.ChatReceived.Select(m => m.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task With_stateful_reconnect_a_brief_drop_keeps_the_session_and_delivers_every_push_once()
    {
        await using var host = await HubHost.StartAsync();
        await using var link = new TcpProxy(host.Address);
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;
        await using var ana = await MeetingClient.ConnectAsync(link.Address, HubProtocol.Json, HttpTransportType.WebSockets, Cancel,
            new JitteredRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)), statefulReconnect: true);
        await ana.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode));
        var connectionId = ana.Connection.ConnectionId;
        var sent = new List<ChatMessage> { await ben.SendChatAsync("b-0", "before the drop") };
        await ana.WaitForAsync(c => c.ChatReceived.Count == 1, "the first message");

        // A blip: the link resets and comes straight back. Pushes sent meanwhile wait in the server's buffer.
        link.Reset();
        for (var i = 1; i <= 5; i++)
        {
            sent.Add(await ben.SendChatAsync($"b-{i}", $"around the blip {i}"));
        }

        await ana.WaitForAsync(c => c.ChatReceived.Count == 6, "the six messages, buffered across the drop");
        var received = ana.ChatReceived;
        // Still joined on the same connection: no rejoin needed before sending.
        var reply = await ana.SendChatAsync("a-1", "back");

        Assert.Equal(connectionId, ana.Connection.ConnectionId);
        Assert.Equal(sent, received);
        Assert.Equal(7, reply.Sequence);
    }
}
