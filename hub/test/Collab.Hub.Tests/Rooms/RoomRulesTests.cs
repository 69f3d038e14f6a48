using System.Net;
using System.Net.Http.Json;
using Collab.Conferencing.Export;
using Collab.Conferencing.Rooms;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rooms;

public sealed class RoomRulesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rooms_refuse_wrong_roles_unknown_foreign_and_closed_rooms_follow_the_self_organised_setting_time_out_and_are_exported()
    {
        await using var host = await HubHost.StartAsync(("Collab:Rooms:TimerSweepMilliseconds", "100"), ("Collab:Rooms:PushIntervalMilliseconds", "0"));
        var meeting = await host.CreateMeetingAsync("Neighbourhood forum", Cancel);
        var other = await host.CreateMeetingAsync("Another forum", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, anaJoin) = await host.JoinAsync(meeting, "Ana");
        var (ben, benJoin) = await host.JoinAsync(meeting, "Ben");
        var (stranger, strangerJoin) = await host.JoinAsync(other, "Stranger", moderator: true);
        await using var _m = moderator;
        await using var _a = ana;
        await using var _b = ben;
        await using var _s = stranger;
        var anaRooms = new RoomWatcher(ana);
        var benRooms = new RoomWatcher(ben);

        // Wrong role and bad input.
        Assert.Equal("forbidden: Only a moderator may create rooms.", await Refused(ana, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("Mine")])));
        Assert.Equal("forbidden: The moderator has not let participants create rooms in this meeting.", await Refused(ana, nameof(MeetingHub.CreateOpenRoom), new CreateOpenRoomRequest("Mine")));
        Assert.Equal("invalid_input: Give 1 to 50 rooms, each with a name.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([])));
        Assert.Equal("invalid_input: Room name is required and may not be blank.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest(" ")])));
        Assert.Equal("invalid_input: Room name is 61 characters; the limit is 60.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest(new string('n', 61))])));
        Assert.Equal("invalid_input: timerSeconds must be between 1 and 86400; it was 0.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("N")], 0)));
        Assert.Equal($"not_found: No participant '{strangerJoin.ParticipantId}' in this meeting.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("N", [strangerJoin.ParticipantId])])));
        Assert.Equal($"invalid_input: Participant '{anaJoin.ParticipantId}' is assigned twice; assign each participant to one room.",
            await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("N", [anaJoin.ParticipantId]), new RoomRequest("S", [anaJoin.ParticipantId])])));
        Assert.Equal("invalid_input: roomId must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'.", await Refused(ana, nameof(MeetingHub.JoinRoom), "r1/../x"));
        Assert.Equal("not_found: No room 'r1' in this meeting.", await Refused(ana, nameof(MeetingHub.JoinRoom), "r1"));

        // Assigned-only (the default): Ana may enter her room only; the other meeting's room ids are not this meeting's.
        var rooms = await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("Budget", [anaJoin.ParticipantId]), new RoomRequest("Parks")]));
        await stranger.InvokeAsync<RoomsView>(nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("A"), new RoomRequest("B"), new RoomRequest("C")]));
        Assert.Equal("not_found: No room 'r3' in this meeting.", await Refused(ana, nameof(MeetingHub.JoinRoom), "r3"));
        Assert.Equal("forbidden: In this meeting the moderator assigns rooms: you may enter only the room you were assigned to.", await Refused(ben, nameof(MeetingHub.JoinRoom), rooms.Rooms[1].RoomId));
        await anaRooms.WaitForAsync(w => w.LastChange?.RoomId == "r1", "Ana's assignment");
        var back = await ana.InvokeAsync<RoomLocationView>(nameof(MeetingHub.ReturnToMainRoom));
        var again = await ana.InvokeAsync<RoomLocationView>(nameof(MeetingHub.JoinRoom), "r1");
        Assert.Equal((null, RoomMoveReason.Left), (back.RoomId, back.Reason));
        Assert.Equal(("r1", "Budget"), (again.RoomId, again.RoomName));
        await ana.SendChatAsync("a1", "Budget talk");

        // Self-organised: participants open rooms and move freely.
        await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.SetRoomSettings), new RoomSettings(SelfOrganised: true));
        var opened = await ben.InvokeAsync<RoomLocationView>(nameof(MeetingHub.CreateOpenRoom), new CreateOpenRoomRequest("Cycling"));
        var joined = await ana.InvokeAsync<RoomLocationView>(nameof(MeetingHub.JoinRoom), opened.RoomId);
        await ben.SendChatAsync("b1", "Bike lanes");
        await ana.WaitForAsync(c => c.ChatReceived.Any(m => m.Text == "Bike lanes"), "Ben's message in Cycling");
        var list = await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.GetRooms));
        Assert.Equal(("Cycling", RoomMoveReason.Joined), (opened.RoomName, opened.Reason));
        Assert.Equal(opened.RoomId, joined.RoomId);
        Assert.Equal(new[] { anaJoin.ParticipantId, benJoin.ParticipantId }.Order(StringComparer.Ordinal), list.Rooms.Single(room => room.RoomId == opened.RoomId).Members.Select(m => m.ParticipantId).Order(StringComparer.Ordinal));
        Assert.True(list.Rooms.Single(room => room.RoomId == opened.RoomId).Open);

        // A timed room closes by itself and its members return to the main room.
        var timed = await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("Quick round", [anaJoin.ParticipantId, benJoin.ParticipantId])], TimerSeconds: 1));
        Assert.NotNull(timed.Rooms.Single(room => room.Name == "Quick round").ClosesAtUnixMs);
        foreach (var watcher in new[] { anaRooms, benRooms })
        {
            await watcher.WaitForAsync(w => w.LastChange is { RoomId: null, Reason: RoomMoveReason.TimerEnded }, "the timer sending everyone back");
        }

        // A removed participant is in no room any more.
        var aside = await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("Aside", [benJoin.ParticipantId])]));
        Assert.Equal([benJoin.ParticipantId], aside.Rooms.Single(room => room.Name == "Aside").Members.Select(m => m.ParticipantId));
        await moderator.InvokeAsync(nameof(MeetingHub.RemoveParticipant), benJoin.ParticipantId);
        Assert.Empty((await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.GetRooms))).Rooms.Single(room => room.Name == "Aside").Members);

        // Closed rooms, then an ended meeting.
        await moderator.InvokeAsync<RoomsView>(nameof(MeetingHub.CloseRoom), "r2");
        Assert.Equal("conflict: The room 'Parks' is closed; everyone in it went back to the main room.", await Refused(ana, nameof(MeetingHub.JoinRoom), "r2"));
        Assert.Equal("not_found: No room 'r9' in this meeting.", await Refused(moderator, nameof(MeetingHub.CloseRoom), "r9"));
        await moderator.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting));
        Assert.Equal("conflict: This meeting has ended.", await Refused(ana, nameof(MeetingHub.JoinRoom), "r1"));
        Assert.Equal("conflict: This meeting has ended.", await Refused(moderator, nameof(MeetingHub.CreateRooms), new CreateRoomsRequest([new RoomRequest("Late")])));

        // The export has every room's chat (JSON and CSV).
        using var http = host.CreateHttpClient();
        using var json = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export", UriKind.Relative));
        json.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var jsonResponse = await http.SendAsync(json, Cancel);
        var record = await jsonResponse.Content.ReadFromJsonAsync<MeetingRecord>(HubHostExtensions.Json, Cancel);
        using var csv = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export/rooms.csv", UriKind.Relative));
        csv.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var csvResponse = await http.SendAsync(csv, Cancel);
        var rows = (await csvResponse.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        Assert.Equal(["Budget", "Parks", "Cycling", "Quick round", "Aside"], record!.Rooms!.Select(room => room.Name));
        Assert.Equal(["Budget talk"], record.Rooms![0].Chat.Select(m => m.Text));
        Assert.Equal(["Bike lanes"], record.Rooms![2].Chat.Select(m => m.Text));
        Assert.Equal([false, true, false, true, false], record.Rooms!.Select(room => room.ClosedAtUnixMs is not null));
        Assert.Empty(record.Chat);
        Assert.Equal("room_id,room_name,sequence,sent_at_utc,participant_id,display_name,text,deleted", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("r1,Budget,1,", rows[1], StringComparison.Ordinal);
        Assert.EndsWith($",{anaJoin.ParticipantId},Ana,Budget talk,false", rows[1], StringComparison.Ordinal);
    }

    private static async Task<string> Refused(MeetingClient client, string method, params object?[] arguments) =>
        (await Assert.ThrowsAsync<HubException>(() => client.InvokeAsync(method, arguments))).Reason();
}
