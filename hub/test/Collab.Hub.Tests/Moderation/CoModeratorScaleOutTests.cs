using System.Reflection;
using Collab.Conferencing.Moderation;
using Collab.Conferencing.Speakers;
using Collab.Hub.Hubs;
using Collab.Hub.Tests.ScaleOut;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Moderation;

public sealed class CoModeratorScaleOutTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_promotion_on_one_node_gives_moderator_rights_on_the_other_without_reconnecting_and_a_demotion_takes_them_away()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Council", Cancel);
        var (chair, chairJoin) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _c = chair;
        var (ana, anaJoin) = await cluster.B.JoinAsync(meeting, "Ana", protocol: HubProtocol.MessagePack);
        await using var _a = ana;
        var (ben, benJoin) = await cluster.A.JoinAsync(meeting, "Ben");
        await using var _b = ben;

        // Every moderator-only method refuses a participant in its own words, before it runs.
        foreach (var method in typeof(MeetingHub).GetMethods().Where(m => m.GetCustomAttribute<ModeratorOnlyAttribute>() is not null && m.Name != nameof(MeetingHub.EndMeeting)))
        {
            var attribute = method.GetCustomAttribute<ModeratorOnlyAttribute>()!;
            var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(string) ? "x" : p.ParameterType == typeof(bool) ? false : p.ParameterType == typeof(int) ? 1 : p.ParameterType == typeof(long) ? 1L : (object?)null).ToArray();
            var words = method.GetParameters().Any(p => p.ParameterType == typeof(bool)) ? attribute.ActionWhenFalse ?? attribute.Action : attribute.Action;
            var refusal = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync(method.Name, arguments));
            Assert.Equal($"forbidden: Only a moderator may {words}.", refusal.Reason());
        }

        // Promoted on node A, Ana (on node B) acts as a moderator on her open connection and hears moderators' pushes.
        var promoted = await chair.InvokeAsync<ParticipantView>(nameof(MeetingHub.PromoteParticipant), anaJoin.ParticipantId);
        await ana.WaitForAsync(c => c.SelfReceived.Any(s => s.Role == ParticipantRole.Moderator), "SelfUpdated on node B");
        var lowered = await ana.InvokeAsync<HandsLoweredView>(nameof(MeetingHub.LowerAllHands));
        await ben.InvokeAsync<SpeakersView>(nameof(MeetingHub.AskToSpeak));
        var given = await ana.InvokeAsync<SpeakersView>(nameof(MeetingHub.NextSpeaker));
        var draft = await chair.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Draft?", ["Yes", "No"]));
        await ana.WaitForAsync(c => c.PollUpdatesReceived.Any(p => p.PollId == draft.PollId), "a draft, pushed to moderators only, on node B");
        await ben.WaitForAsync(c => c.UpdatedReceived.Any(p => p.ParticipantId == anaJoin.ParticipantId && p.Role == ParticipantRole.Moderator), "the promotion in Ben's People");
        Assert.Equal(ParticipantRole.Moderator, promoted.Role);
        Assert.Equal(0, lowered.Lowered);
        Assert.Equal(benJoin.ParticipantId, given.CurrentSpeakerId);

        // Her resume token resumes with the new role, on either node.
        var (resumed, resumedJoin) = await ResumeAsync(cluster.A, meeting, ana, anaJoin);
        await using var _r = resumed;
        Assert.Equal(ParticipantRole.Moderator, resumedJoin.Role);

        // The rules: the key holder stays a moderator; the last moderator present may not step down; a co-moderator may.
        var keyHolder = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.DemoteParticipant), chairJoin.ParticipantId));
        var stepsDown = await ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.DemoteParticipant), anaJoin.ParticipantId);
        await ana.WaitForAsync(c => c.SelfReceived.LastOrDefault()?.Role == ParticipantRole.Participant, "the demotion on node B");
        var afterDemotion = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<HandsLoweredView>(nameof(MeetingHub.LowerAllHands)));
        Assert.Equal(ParticipantRole.Participant, stepsDown.Role);
        Assert.Equal("forbidden: Chair joined with the moderator key and stays a moderator.", keyHolder.Reason());
        Assert.Equal("forbidden: Only a moderator may lower everyone's hand.", afterDemotion.Reason());

        await chair.InvokeAsync<ParticipantView>(nameof(MeetingHub.PromoteParticipant), benJoin.ParticipantId);
        await chair.DisposeAsync();
        await ben.WaitForAsync(c => c.SelfReceived.Any(s => s.Role == ParticipantRole.Moderator), "Ben's promotion");
        await ana.WaitForAsync(c => c.LeftReceived.Contains(chairJoin.ParticipantId), "the chair leaving");
        var lastOne = await Assert.ThrowsAsync<HubException>(() => ben.InvokeAsync<ParticipantView>(nameof(MeetingHub.DemoteParticipant), benJoin.ParticipantId));
        Assert.Equal("conflict: You are the only moderator present; make someone else a moderator before you step down.", lastOne.Reason());
    }

    [Fact]
    public async Task A_rename_is_seen_on_both_nodes_and_chat_keeps_the_name_a_message_was_sent_with()
    {
        redis.SkipIfUnavailable();
        await using var cluster = await ScaleOutCluster.StartAsync(redis);
        var meeting = await cluster.A.CreateMeetingAsync("Council", Cancel);
        var (chair, _) = await cluster.A.JoinAsync(meeting, "Chair", moderator: true);
        await using var _c = chair;
        var (ana, anaJoin) = await cluster.B.JoinAsync(meeting, "Ana");
        await using var _a = ana;

        await ana.SendChatAsync("a-1", "before");
        await ana.InvokeAsync<SpeakersView>(nameof(MeetingHub.AskToSpeak));
        var renamed = await ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.Rename), "  Ana Lima  ");
        var blank = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.Rename), " "));
        var tooLong = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ParticipantView>(nameof(MeetingHub.Rename), new string('x', 65)));
        await chair.WaitForAsync(c => c.UpdatedReceived.Any(p => p.DisplayName == "Ana Lima"), "the rename on node A");
        await chair.WaitForAsync(c => c.LatestSpeakers?.Queue.SingleOrDefault()?.DisplayName == "Ana Lima", "the list of speakers with the new name");
        await ana.SendChatAsync("a-2", "after");
        var byChair = await chair.InvokeAsync<ParticipantView>(nameof(MeetingHub.RenameParticipant), anaJoin.ParticipantId, "Ana L.");
        await ana.WaitForAsync(c => c.SelfReceived.Any(s => s.DisplayName == "Ana L."), "the moderator's rename on node B");
        var people = await chair.InvokeAsync<ParticipantView[]>(nameof(MeetingHub.GetParticipants));
        var history = await chair.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatHistory), null, 10);
        var (resumed, resumedJoin) = await ResumeAsync(cluster.A, meeting, ana, anaJoin);
        await using var _r = resumed;

        Assert.Equal("Ana Lima", renamed.DisplayName);
        Assert.Equal("invalid_input: Display name is required and may not be blank.", blank.Reason());
        Assert.Equal("invalid_input: Display name is 65 characters; the limit is 64.", tooLong.Reason());
        Assert.Equal("Ana L.", byChair.DisplayName);
        Assert.Equal("Ana L.", people.Single(p => p.ParticipantId == anaJoin.ParticipantId).DisplayName);
        Assert.Equal([("before", "Ana"), ("after", "Ana Lima")], history.Messages.Select(m => (m.Text, m.DisplayName)));
        Assert.Equal("Ana L.", resumedJoin.DisplayName);
    }

    private static async Task<(MeetingClient Client, JoinResult Join)> ResumeAsync(HubHost host, Conferencing.Meetings.CreatedMeeting meeting, MeetingClient previous, JoinResult join)
    {
        var client = await MeetingClient.ConnectAsync(host.Address, cancellationToken: Cancel);
        return (client, await client.JoinAsync(new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken)));
    }
}
