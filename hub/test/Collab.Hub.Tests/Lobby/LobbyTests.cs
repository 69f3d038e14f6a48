using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Lobby;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.Rules;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Lobby;

public sealed class LobbyTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_waiter_on_one_node_gets_no_meeting_data_until_a_moderator_on_the_other_admits_it_and_then_joins_with_its_token(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Public consultation", Cancel);
        var (moderator, moderatorJoin) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (member, _) = await deployment.A.JoinAsync(meeting, "Ben");
        await using var _b = member;
        var lobbyPushes = new Pushes<LobbyView>(moderator, nameof(IMeetingClient.LobbyUpdated));
        Assert.False(moderatorJoin.Lobby?.Enabled);

        var refused = await Assert.ThrowsAsync<HubException>(() => member.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLobby), true));
        Assert.StartsWith("forbidden:", refused.Reason(), StringComparison.Ordinal);
        var on = await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLobby), true);
        Assert.True(on.Enabled);

        var waiter = await deployment.B.ConnectAsync(HubProtocol.MessagePack);
        await using var _w = waiter;
        var admitted = new Pushes<string>(waiter, nameof(IMeetingClient.LobbyAdmitted));
        var waiting = await waiter.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode));

        Assert.True(waiting.Waiting);
        Assert.Empty(waiting.Participants);
        Assert.Empty(waiting.Polls);
        Assert.Equal(0, waiting.LastChatSequence);
        Assert.Null(waiting.Lobby);
        var seen = await lobbyPushes.WaitForAsync(views => views.Any(v => v.Waiting.Any(w => w.DisplayName == "Ana")), "Ana in the moderators' waiting list");
        Assert.Equal(waiting.ParticipantId, seen[^1].Waiting.Single().WaiterId);
        Assert.Equal("Ana", (await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.GetLobby))).Waiting.Single().DisplayName);

        // Nothing of the meeting reaches the waiter: every meeting method is refused, no push arrives, no audio.
        var calls = new Func<Task>[]
        {
            () => waiter.SendChatAsync("w-1", "let me in"),
            () => waiter.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants)),
            () => waiter.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), 0L, 50),
            () => waiter.InvokeAsync<PollView[]>(nameof(MeetingHub.GetPolls)),
            () => waiter.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor)),
            () => waiter.InvokeAsync<LobbyView>(nameof(MeetingHub.AdmitWaiter), waiting.ParticipantId),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<HubException>(call);
            Assert.Equal("waiting: You are waiting in the lobby: a moderator has not admitted you yet.", error.Reason());
        }

        await moderator.SendChatAsync("m-1", "welcome, everyone");
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Ready?", ["Yes", "No"]));
        await moderator.InvokeAsync<FloorView>(nameof(MeetingHub.RequestFloor));
        await moderator.InvokeAsync(nameof(MeetingHub.PublishAudio), SpeechBatches.Encode(ProfileLadder.Standard, maxBatches: 1)[0]);
        await member.WaitForAsync(c => c.ChatReceived.Count == 1 && c.AudioReceived.Count == 1, "the chat and audio the members get");

        Assert.Empty(waiter.ChatReceived);
        Assert.Empty(waiter.AudioReceived);
        Assert.Empty(waiter.PollUpdatesReceived);
        Assert.Empty(waiter.JoinedReceived);
        Assert.Empty(waiter.FloorUpdatesReceived);

        var after = await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.AdmitWaiter), waiting.ParticipantId);
        Assert.Empty(after.Waiting);
        await admitted.WaitForAsync(items => items.Count == 1, "the admission push");
        var joined = await waiter.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: waiting.ResumeToken));

        Assert.False(joined.Waiting);
        Assert.True(joined.Resumed);
        Assert.Equal(waiting.ParticipantId, joined.ParticipantId);
        Assert.Equal(("Ana", ParticipantRole.Participant), (joined.DisplayName, joined.Role));
        Assert.Equal(1, joined.LastChatSequence);
        await moderator.WaitForAsync(c => c.JoinedReceived.Any(p => p.ParticipantId == joined.ParticipantId), "Ana's arrival");
        Assert.Equal(2, (await waiter.SendChatAsync("w-2", "thanks")).Sequence);
        var twice = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.AdmitWaiter), waiting.ParticipantId));
        Assert.Equal($"not_found: No one with the id '{waiting.ParticipantId}' is waiting in the lobby.", twice.Reason());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Denied_waiters_are_told_and_their_tokens_refused_admit_all_and_lobby_off_let_everyone_in_and_a_closed_waiter_leaves_the_list(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Public consultation", Cancel);
        var (moderator, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true, protocol: HubProtocol.MessagePack);
        await using var _m = moderator;
        var lobbyPushes = new Pushes<LobbyView>(moderator, nameof(IMeetingClient.LobbyUpdated));
        await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLobby), true);

        async Task<(MeetingClient Client, JoinResult Join, Pushes<string> Admitted, Pushes<string> Denied)> WaitAsync(HubHost node, string name)
        {
            var client = await node.ConnectAsync();
            var admitted = new Pushes<string>(client, nameof(IMeetingClient.LobbyAdmitted));
            var denied = new Pushes<string>(client, nameof(IMeetingClient.LobbyDenied));
            var join = await client.JoinAsync(new JoinRequest(meeting.MeetingId, name, JoinCode: meeting.JoinCode));
            Assert.True(join.Waiting);
            return (client, join, admitted, denied);
        }

        var troll = await WaitAsync(deployment.B, "Troll");
        await using var _t = troll.Client;
        var gone = await WaitAsync(deployment.B, "Gone");
        var ana = await WaitAsync(deployment.B, "Ana");
        await using var _a = ana.Client;
        var ben = await WaitAsync(deployment.A, "Ben");
        await using var _b = ben.Client;
        var cy = await WaitAsync(deployment.B, "Cy");
        await using var _c = cy.Client;
        await lobbyPushes.WaitForAsync(views => views.Any(v => v.Waiting.Length == 5), "five waiting");

        await gone.Client.DisposeAsync();
        await lobbyPushes.WaitForAsync(views => views[^1].Waiting.All(w => w.DisplayName != "Gone") && views.Max(v => v.Version) == views[^1].Version, "the closed waiter leaving the list");

        await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.DenyWaiter), troll.Join.ParticipantId);
        var reason = (await troll.Denied.WaitForAsync(items => items.Count == 1, "the refusal"))[0];
        Assert.Equal("A moderator declined your request to join this meeting.", reason);
        var retry = await Assert.ThrowsAsync<HubException>(() => troll.Client.JoinAsync(new JoinRequest(meeting.MeetingId, "Troll", ResumeToken: troll.Join.ResumeToken)));
        Assert.Equal($"denied: {reason}", retry.Reason());

        var view = await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.AdmitAllWaiters));
        Assert.Empty(view.Waiting);
        await ana.Admitted.WaitForAsync(items => items.Count == 1, "Ana's admission");
        await ben.Admitted.WaitForAsync(items => items.Count == 1, "Ben's admission");
        await cy.Admitted.WaitForAsync(items => items.Count == 1, "Cy's admission");
        Assert.Empty(ana.Denied.Items);
        var anaIn = await ana.Client.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: ana.Join.ResumeToken));
        Assert.Equal(ana.Join.ParticipantId, anaIn.ParticipantId);

        // Turning the lobby off lets the ones waiting in; joins by code then enter at once.
        var dee = await WaitAsync(deployment.B, "Dee");
        await using var _d = dee.Client;
        var off = await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLobby), false);
        Assert.Equal((false, 0), (off.Enabled, off.Waiting.Length));
        await dee.Admitted.WaitForAsync(items => items.Count == 1, "Dee's admission when the lobby went off");
        var (eve, eveJoin) = await deployment.B.JoinAsync(meeting, "Eve");
        await using var _e = eve;
        Assert.False(eveJoin.Waiting);

        // Someone still waiting hears the end of the meeting.
        await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLobby), true);
        var fay = await WaitAsync(deployment.B, "Fay");
        await using var _f = fay.Client;
        await moderator.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting));
        await fay.Client.WaitForAsync(c => c.MeetingEndedReceived == 1, "the end, told to the lobby");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_locked_meeting_refuses_joins_by_code_on_every_node_while_tokens_and_moderator_keys_still_get_in(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Public consultation", Cancel);
        var (moderator, _) = await deployment.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, anaJoin) = await deployment.B.JoinAsync(meeting, "Ana");
        await ana.DisposeAsync();

        var locked = await moderator.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLocked), true);
        Assert.True(locked.Locked);

        foreach (var node in new[] { deployment.A, deployment.B })
        {
            await using var stranger = await node.ConnectAsync();
            var refused = await Assert.ThrowsAsync<HubException>(() => stranger.JoinAsync(new JoinRequest(meeting.MeetingId, "Zed", JoinCode: meeting.JoinCode)));
            Assert.Equal("locked: This meeting is locked: a moderator is not letting anyone new in.", refused.Reason());
        }

        await using var back = await deployment.A.ConnectAsync();
        var resumed = await back.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: anaJoin.ResumeToken));
        Assert.Equal(anaJoin.ParticipantId, resumed.ParticipantId);
        var (second, secondJoin) = await deployment.B.JoinAsync(meeting, "Co-chair", moderator: true);
        await using var _s = second;
        Assert.Equal(ParticipantRole.Moderator, secondJoin.Role);
        Assert.True(secondJoin.Lobby?.Locked);

        await second.InvokeAsync<LobbyView>(nameof(MeetingHub.SetLocked), false);
        var (zed, zedJoin) = await deployment.A.JoinAsync(meeting, "Zed");
        await using var _z = zed;
        Assert.False(zedJoin.Waiting);
    }
}
