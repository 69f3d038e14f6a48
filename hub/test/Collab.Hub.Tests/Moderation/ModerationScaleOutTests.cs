using System.Text.Json;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Moderation;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Moderation;

public sealed class ModerationScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_moderator_on_one_node_deletes_a_message_lowers_every_hand_and_mutes_everyone_on_the_other()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Water committee", Cancel);
        var (moderator, chairJoin) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, anaJoin) = await cluster.B.JoinAsync(meeting, "Ana", protocol: HubProtocol.MessagePack);
        await using var _a = ana;
        var (ben, benJoin) = await cluster.A.JoinAsync(meeting, "Ben");
        await using var _b = ben;

        await ana.SendChatAsync("a-1", "hello");
        var abusive = await ana.SendChatAsync("a-2", "something abusive");
        await ana.SendChatAsync("a-3", "sorry");

        // Only moderators delete; the message goes for everyone, live and in history, on both nodes.
        var refused = await Assert.ThrowsAsync<HubException>(() => ben.InvokeAsync<ChatMessage>(nameof(MeetingHub.DeleteChatMessage), abusive.Sequence));
        var deleted = await moderator.InvokeAsync<ChatMessage>(nameof(MeetingHub.DeleteChatMessage), abusive.Sequence);
        var unknown = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<ChatMessage>(nameof(MeetingHub.DeleteChatMessage), 99L));
        foreach (var member in new[] { ana, ben })
        {
            await member.WaitForAsync(c => c.ChatDeletedReceived.Contains(abusive.Sequence), "the deletion push");
        }

        var history = await ana.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatHistory), null, 10);
        Assert.Equal("forbidden: Only a moderator may delete a chat message.", refused.Reason());
        Assert.Equal("not_found: No chat message 99 in this meeting (or it is past retention).", unknown.Reason());
        Assert.Equal((true, string.Empty, anaJoin.ParticipantId), (deleted.Deleted, deleted.Text, deleted.ParticipantId));
        Assert.Equal([("hello", false), ("", true), ("sorry", false)], history.Messages.Select(m => (m.Text, m.Deleted)));

        // The export records that it was deleted, not what it said.
        using var http = cluster.B.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export", UriKind.Relative));
        request.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var response = await http.SendAsync(request, Cancel);
        var exported = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("abusive", exported, StringComparison.Ordinal);
        var chat = JsonDocument.Parse(exported).RootElement.GetProperty("chat");
        Assert.Equal([false, true, false], chat.EnumerateArray().Select(m => m.GetProperty("deleted").GetBoolean()));

        // Lower all hands: every raised hand, whichever node it is on.
        await ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.RaiseHand));
        await ben.InvokeAsync<ParticipantView>(nameof(MeetingHub.RaiseHand));
        var lowered = await moderator.InvokeAsync<HandsLoweredView>(nameof(MeetingHub.LowerAllHands));
        var people = await ana.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));
        Assert.Equal(2, lowered.Lowered);
        Assert.All(people, p => Assert.False(p.HandRaised));
        Assert.Equal("forbidden: Only a moderator may lower everyone's hand.", (await Assert.ThrowsAsync<HubException>(() => ben.InvokeAsync<HandsLoweredView>(nameof(MeetingHub.LowerAllHands)))).Reason());

        // Mute all: everyone but the moderators; a muted participant on the other node cannot take the floor.
        var floor = await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.MuteAll));
        await ana.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Muted.Contains(anaJoin.ParticipantId)), "the floor push on node B");
        var muted = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor)));
        Assert.Equal(new[] { anaJoin.ParticipantId, benJoin.ParticipantId }.Order(StringComparer.Ordinal), floor.Muted.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(chairJoin.ParticipantId, floor.Muted);
        Assert.StartsWith("muted:", muted.Reason(), StringComparison.Ordinal);
    }
}
