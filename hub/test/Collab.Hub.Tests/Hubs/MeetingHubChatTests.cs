using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Hubs;

public sealed class MeetingHubChatTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_from_several_senders_reaches_every_member_exactly_once_in_sequence_order()
    {
        await using var host = await HubHost.StartAsync(HubHostExtensions.Unthrottled);
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var members = new List<MeetingClient>();
        for (var i = 0; i < 3; i++)
        {
            members.Add((await host.JoinAsync(meeting, $"Member {i}")).Client);
        }

        try
        {
            var sends = members.SelectMany((member, m) => Enumerable.Range(0, 20).Select(i => (member, id: $"m{m}-{i}")))
                .Select(send => send.member.SendChatAsync(send.id, $"text {send.id}"));
            var acknowledged = await Task.WhenAll(sends).WaitAsync(MeetingClient.DefaultTimeout, Cancel);

            Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), acknowledged.Select(m => m.Sequence).Order());
            foreach (var member in members)
            {
                await member.WaitForAsync(c => c.ChatReceived.Count >= 60, "60 chat messages");
                var received = member.ChatReceived;
                Assert.Equal(60, received.Count);
                Assert.Equal(60, received.Select(m => m.Sequence).Distinct().Count());
                Assert.Equal(acknowledged.OrderBy(m => m.Sequence), received.OrderBy(m => m.Sequence));
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Resending_with_the_same_client_message_id_returns_the_original_and_pushes_nothing_new()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;

        var first = await ana.SendChatAsync("client-42", "only once");
        var resend = await ana.SendChatAsync("client-42", "only once");
        var next = await ana.SendChatAsync("client-43", "next");
        await ben.WaitForAsync(c => c.ChatReceived.Any(m => m.Sequence == next.Sequence), "the next message");

        Assert.Equal(first, resend);
        Assert.Equal([first.Sequence, next.Sequence], ben.ChatReceived.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Rejoining_with_the_resume_token_catches_up_exactly_the_missed_messages_and_keeps_identity()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;
        var (ana, anaJoin) = await host.JoinAsync(meeting, "Ana");
        var seen = await ben.SendChatAsync("b1", "before the drop");
        await ana.WaitForAsync(c => c.ChatReceived.Count == 1, "the first message");
        await ana.DisposeAsync();

        var missed = new List<ChatMessage>();
        for (var i = 0; i < 5; i++)
        {
            missed.Add(await ben.SendChatAsync($"b-missed-{i}", $"while Ana was away {i}"));
        }

        await using var anaAgain = await host.ConnectAsync();
        var rejoin = await anaAgain.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: anaJoin.ResumeToken));
        var caughtUp = await anaAgain.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), seen.Sequence, 100);

        Assert.True(rejoin.Resumed);
        Assert.Equal(anaJoin.ParticipantId, rejoin.ParticipantId);
        Assert.Equal("Ana", rejoin.DisplayName);
        Assert.Equal(missed[^1].Sequence, rejoin.LastChatSequence);
        Assert.Equal(missed, caughtUp.Messages);
        Assert.False(caughtUp.HasMore);
        Assert.False(caughtUp.Truncated);
    }

    [Fact]
    public async Task Bad_chat_inputs_are_refused_with_a_clear_reason_and_the_connection_stays_up()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        await using var stranger = await host.ConnectAsync();
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;

        var notJoined = await Assert.ThrowsAsync<HubException>(() => stranger.SendChatAsync("x1", "hello"));
        var tooLong = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("x2", new string('a', 2_001)));
        var blank = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("x3", "   "));
        var badId = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("has spaces", "hi"));
        var nullRequest = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ChatMessage>(nameof(MeetingHub.SendChat), [null]));
        var wrongType = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), "not a number", 10));
        var badPage = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 0));
        var accepted = await ana.SendChatAsync("x4", "still connected");

        Assert.Equal("not_joined: Join a meeting first: this connection has not joined one.", notJoined.Reason());
        Assert.Equal("invalid_input: Chat text is 2001 characters; the limit is 2000.", tooLong.Reason());
        Assert.StartsWith("invalid_input: Chat text is required", blank.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("invalid_input: clientMessageId must be", badId.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("invalid_input: clientMessageId is required", nullRequest.Reason(), StringComparison.Ordinal);
        Assert.StartsWith("Failed to invoke 'GetChatSince' due to an error on the server", wrongType.Message, StringComparison.Ordinal);
        Assert.StartsWith("invalid_input: limit must be between 1 and", badPage.Reason(), StringComparison.Ordinal);
        Assert.Equal(1, accepted.Sequence);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, ana.Connection.State);
    }

    [Fact]
    public async Task A_chat_burst_past_the_rate_limit_is_refused_per_participant()
    {
        await using var host = await HubHost.StartAsync(("Collab:Conferencing:ChatMessagesPerSecond", "0.1"), ("Collab:Conferencing:ChatBurst", "3"));
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var (ben, _) = await host.JoinAsync(meeting, "Ben");
        await using var _b = ben;

        for (var i = 0; i < 3; i++)
        {
            await ana.SendChatAsync($"a{i}", "ok");
        }

        var limited = await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("a3", "one too many"));
        var benStillSends = await ben.SendChatAsync("b0", "my own budget");

        Assert.StartsWith("rate_limited: Too many chat messages", limited.Reason(), StringComparison.Ordinal);
        Assert.Equal(4, benStillSends.Sequence);
    }

    [Fact]
    public async Task Messages_of_one_meeting_never_reach_the_members_of_another()
    {
        await using var host = await HubHost.StartAsync();
        var first = await host.CreateMeetingAsync("First", Cancel);
        var second = await host.CreateMeetingAsync("Second", Cancel);
        var (ana, _) = await host.JoinAsync(first, "Ana");
        await using var _a = ana;
        var (ben, _) = await host.JoinAsync(second, "Ben");
        await using var _b = ben;

        await ana.SendChatAsync("a1", "first meeting only");
        var wrongMeeting = await Assert.ThrowsAsync<HubException>(() => ana.JoinAsync(new JoinRequest(second.MeetingId, "Ana", JoinCode: second.JoinCode)));
        var ownMessage = await ben.SendChatAsync("b1", "second meeting only");
        await ben.WaitForAsync(c => c.ChatReceived.Count == 1, "Ben's own message");
        await ana.WaitForAsync(c => c.ChatReceived.Count == 1, "Ana's own message");

        Assert.Equal(ownMessage, Assert.Single(ben.ChatReceived));
        Assert.Equal("first meeting only", Assert.Single(ana.ChatReceived).Text);
        Assert.StartsWith("conflict: This connection already joined another meeting", wrongMeeting.Reason(), StringComparison.Ordinal);
        Assert.Equal(1, ownMessage.Sequence);
    }

    [Theory]
    [InlineData(HubProtocol.Json, HttpTransportType.WebSockets)]
    [InlineData(HubProtocol.MessagePack, HttpTransportType.WebSockets)]
    [InlineData(HubProtocol.Json, HttpTransportType.ServerSentEvents)]
    [InlineData(HubProtocol.Json, HttpTransportType.LongPolling)]
    [InlineData(HubProtocol.MessagePack, HttpTransportType.LongPolling)]
    public async Task Join_chat_and_polls_work_over_every_protocol_and_transport(HubProtocol protocol, HttpTransportType transport)
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true, protocol: protocol);
        await using var _m = moderator;
        await using var client = await MeetingClient.ConnectAsync(host.Address, protocol, transport, Cancel);

        var join = await client.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode));
        var sent = await client.SendChatAsync("c1", "héllo 👋");
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Lunch?", ["Yes", "No"], MultipleChoice: true));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        var ballot = await client.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [1, 0]));
        await client.WaitForAsync(c => c.ChatReceived.Count == 1 && c.TalliesReceived.Any(t => t.Voters == 1), "the message and a tally");
        var hand = await client.InvokeAsync<ParticipantView>(nameof(MeetingHub.RaiseHand));

        Assert.Equal(ParticipantRole.Participant, join.Role);
        Assert.Equal(["Ana", "Chair"], join.Participants.Select(p => p.DisplayName));
        Assert.Equal(sent, Assert.Single(client.ChatReceived));
        Assert.Equal("héllo 👋", sent.Text);
        Assert.Equal([0, 1], ballot.OptionIndexes);
        Assert.Equal(PollState.Open, client.PollUpdatesReceived[^1].State);
        Assert.True(hand.HandRaised);
    }
}
