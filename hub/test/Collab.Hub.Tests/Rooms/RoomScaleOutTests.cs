using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Rooms;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rooms;

/// <summary>Discussion rooms on two hub nodes over one real redis-server.</summary>
public sealed class RoomScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_room_across_two_nodes_chats_and_speaks_exactly_once_in_isolation_survives_a_reconnect_and_closing_brings_everyone_back()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis, ("Collab:Rooms:PushIntervalMilliseconds", "0"));
        var meeting = await cluster.A.CreateMeetingAsync("District consultation", Cancel);
        var (moderator, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true, protocol: HubProtocol.MessagePack);
        var (ana, anaJoin) = await cluster.A.JoinAsync(meeting, "Ana", protocol: HubProtocol.MessagePack);
        var (ben, benJoin) = await cluster.B.JoinAsync(meeting, "Ben", protocol: HubProtocol.MessagePack);
        var (cy, cyJoin) = await cluster.B.JoinAsync(meeting, "Cy", protocol: HubProtocol.MessagePack);
        var (outsider, _) = await cluster.B.JoinAsync(meeting, "Outsider", protocol: HubProtocol.MessagePack);
        var (southerner, southJoin) = await cluster.A.JoinAsync(meeting, "Dee", protocol: HubProtocol.MessagePack);
        MeetingClient? cyAgain = null;
        try
        {
            var watchers = new[] { ana, ben, cy, outsider, southerner, moderator }.ToDictionary(client => client, client => new RoomWatcher(client));

            // The moderator creates two rooms with an assignment: Ana (A), Ben (B) and Cy (B) to North, Dee (A) to South.
            var created = await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CreateRooms), new CreateRoomsRequest(
            [
                new RoomRequest("North", [anaJoin.ParticipantId, benJoin.ParticipantId, cyJoin.ParticipantId]),
                new RoomRequest("South", [southJoin.ParticipantId]),
            ]));
            Assert.Equal(["North", "South"], created.Rooms.Select(room => room.Name));
            var north = created.Rooms[0].RoomId;
            foreach (var member in new[] { ana, ben, cy })
            {
                await watchers[member].WaitForAsync(w => w.LastChange is { RoomId: var id, Reason: RoomMoveReason.Assigned } && id == north, "the move to North");
            }

            await watchers[southerner].WaitForAsync(w => w.LastChange?.RoomId == created.Rooms[1].RoomId, "the move to South");
            await watchers[outsider].WaitForAsync(w => w.Latest?.Rooms is [{ Members.Count: 3 }, { Members.Count: 1 }], "who is where, on the other node");

            // Ana (node A) and Ben (node B) chat in North at once, every send twice (a retry): each of them, and Cy, gets each message once, in order.
            var sends = Enumerable.Range(0, 10).SelectMany(i => new[]
            {
                ana.SendChatAsync($"a{i}", $"Ana {i}"), ana.SendChatAsync($"a{i}", $"Ana {i}"),
                ben.SendChatAsync($"b{i}", $"Ben {i}"), ben.SendChatAsync($"b{i}", $"Ben {i}"),
            });
            var sent = await Task.WhenAll(sends).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sent.Select(m => m.Sequence).Distinct().Order());
            foreach (var member in new[] { ana, ben, cy })
            {
                await member.WaitForAsync(c => c.ChatReceived.Count >= 20, "North's twenty messages");
                Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), member.ChatReceived.Select(m => m.Sequence).Order());
            }

            // Voice in North: Ana takes North's floor and speaks; Ben (other node) hears her; the main room speaks too.
            var batch = SpeechBatches.Encode(ProfileLadder.Standard with { Dtx = false }, maxBatches: 1)[0];
            var roomFloor = await ana.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
            Assert.Equal([anaJoin.ParticipantId], roomFloor.Speakers);
            await ben.WaitForAsync(c => c.FloorUpdatesReceived.Any(f => f.Speakers.Contains(anaJoin.ParticipantId)), "North's floor on node B");
            await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
            await outsider.WaitForAsync(c => c.FloorUpdatesReceived.Count > 0, "the main room's floor");
            await ana.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], Cancel);
            await moderator.Connection.SendCoreAsync(nameof(MeetingHub.PublishAudio), [batch], Cancel);
            await ben.WaitForAsync(c => c.AudioReceived.Count > 0, "Ana's voice in North on node B");
            await outsider.WaitForAsync(c => c.AudioReceived.Count > 0, "the chair's voice in the main room");
            await outsider.SendChatAsync("o1", "Main room only");
            await moderator.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Main room only"), "the main room's chat");

            // Isolation: nobody outside North read or heard it; North heard and read nothing of the main room.
            Assert.All(ben.AudioReceived, audio => Assert.Equal(anaJoin.ParticipantId, audio.SpeakerId));
            Assert.All(outsider.AudioReceived, audio => Assert.NotEqual(anaJoin.ParticipantId, audio.SpeakerId));
            Assert.DoesNotContain(outsider.FloorUpdatesReceived, floor => floor.Speakers.Contains(anaJoin.ParticipantId));
            foreach (var notInNorth in new[] { outsider, southerner, moderator })
            {
                Assert.DoesNotContain(notInNorth.ChatReceived, message => message.Text.StartsWith("Ana ", StringComparison.Ordinal) || message.Text.StartsWith("Ben ", StringComparison.Ordinal));
            }

            Assert.DoesNotContain(ana.ChatReceived, message => message.Text == "Main room only");
            Assert.Equal(["Main room only"], (await outsider.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 100)).Messages.Select(m => m.Text));

            // Cy's link drops; Cy comes back on the other node with the resume token: still in North, with North's chat.
            await cy.DisposeAsync();
            cyAgain = await cluster.A.ConnectAsync(HubProtocol.MessagePack);
            var cyWatcher = new RoomWatcher(cyAgain);
            var rejoined = await cyAgain.JoinAsync(new JoinRequest(meeting.MeetingId, "Cy", ResumeToken: cyJoin.ResumeToken));
            Assert.Equal((north, "North"), (rejoined.Room?.RoomId, rejoined.Room?.RoomName));
            Assert.Equal(20, rejoined.LastChatSequence);
            var caughtUp = await cyAgain.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 100);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), caughtUp.Messages.Select(m => m.Sequence));
            await cyAgain.SendChatAsync("c1", "Cy is back");
            await ben.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Cy is back" && m.Sequence == 21), "Cy's message after the reconnect");

            // The moderator broadcasts to every room: everyone gets it, and it is in each room's chat.
            var broadcast = await moderator.InvokeAsync<RoomBroadcastView>(nameof(MeetingHub.BroadcastToRooms), new BroadcastToRoomsRequest("bc1", "Five minutes left"));
            Assert.Equal(2, broadcast.Rooms);
            foreach (var watcher in new[] { watchers[ana], watchers[ben], watchers[southerner], watchers[outsider], cyWatcher })
            {
                await watcher.WaitForAsync(w => w.Broadcasts.Any(b => b.Text == "Five minutes left"), "the broadcast");
            }

            await southerner.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Five minutes left"), "the broadcast in South's chat");
            await ana.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Five minutes left" && m.Sequence == 22), "the broadcast in North's chat");

            // The moderator closes North: Ana (A), Ben (B) and Cy (A) are back in the main room, live, and chat there again.
            await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CloseRoom), north);
            foreach (var watcher in new[] { watchers[ana], watchers[ben], cyWatcher })
            {
                await watcher.WaitForAsync(w => w.LastChange is { RoomId: null, Reason: RoomMoveReason.Closed }, "the return to the main room");
            }

            await ben.SendChatAsync("b-main", "Ben is back in the main room");
            await outsider.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Ben is back in the main room"), "Ben's message in the main room");
            await watchers[outsider].WaitForAsync(w => w.Latest?.Rooms is [{ Name: "South" }], "North gone from the list");
            Assert.DoesNotContain(southerner.ChatReceived, message => message.Text == "Ben is back in the main room");
            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => ana.InvokeAsync(nameof(MeetingHub.JoinRoom), north));
            Assert.Equal("conflict: The room 'North' is closed; everyone in it went back to the main room.", refused.Reason());
        }
        finally
        {
            foreach (var client in new[] { moderator, ana, ben, cy, outsider, southerner, cyAgain })
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }
}
