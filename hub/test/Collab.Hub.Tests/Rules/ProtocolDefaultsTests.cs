using System.Net.Http.Json;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Export;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

/// <summary>
/// Every request sent with its optional fields left out, as a raw map (camelCase over JSON, PascalCase over
/// MessagePack, as a client written from hub/PROTOCOL.md sends them): the documented defaults hold on both protocols.
/// </summary>
public sealed class ProtocolDefaultsTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task Requests_with_optional_fields_omitted_get_the_documented_defaults(HubProtocol protocol)
    {
        await using var deployment = await Deployment.StartAsync(true, redis);
        var meeting = await deployment.A.CreateMeetingAsync("Water committee", Cancel);
        var moderator = await deployment.A.ConnectAsync(protocol);
        await using var _m = moderator;
        var participant = await deployment.B.ConnectAsync(protocol);
        await using var _p = participant;
        string Name(string camel) => protocol == HubProtocol.Json ? camel : char.ToUpperInvariant(camel[0]) + camel[1..];
        Dictionary<string, object?> Map(params (string Key, object? Value)[] fields) => fields.ToDictionary(f => Name(f.Key), f => f.Value);

        // JoinRequest: only one way in; the others are absent.
        var chair = await moderator.InvokeAsync<JoinResult>(nameof(MeetingHub.Join), Map(("meetingId", meeting.MeetingId), ("displayName", "Chair"), ("moderatorKey", meeting.ModeratorKey)));
        var ana = await participant.InvokeAsync<JoinResult>(nameof(MeetingHub.Join), Map(("meetingId", meeting.MeetingId), ("displayName", "Ana"), ("joinCode", meeting.JoinCode)));
        Assert.Equal(ParticipantRole.Moderator, chair.Role);
        Assert.Equal(ParticipantRole.Participant, ana.Role);

        // CreatePollRequest: multipleChoice defaults to false, anonymous to true.
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), Map(("question", "Which priority?"), ("options", new[] { "Water", "Roads" })));
        Assert.False(poll.MultipleChoice);
        Assert.True(poll.Anonymous);
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        await participant.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), Map(("pollId", poll.PollId), ("optionIndexes", new[] { 1 })));
        var twoChoices = await Assert.ThrowsAsync<HubException>(() =>
            participant.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), Map(("pollId", poll.PollId), ("optionIndexes", new[] { 0, 1 }))));
        Assert.StartsWith("invalid_input: Poll", twoChoices.Reason(), StringComparison.Ordinal);

        // Anonymous means the export names no voter.
        using var http = deployment.A.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/meetings/{meeting.MeetingId}/export", UriKind.Relative));
        request.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.ModeratorKey);
        using var response = await http.SendAsync(request, Cancel);
        var record = await response.Content.ReadFromJsonAsync<MeetingRecord>(HubHostExtensions.Json, Cancel);
        Assert.Null(Assert.Single(record!.Polls).Ballots);

        // SendChatRequest and VoteRequest have no optional fields; a reception report may leave out every figure.
        await participant.InvokeAsync<ChatMessage>(nameof(MeetingHub.SendChat), Map(("clientMessageId", "a-1"), ("text", "hello")));
        await participant.InvokeAsync(nameof(MeetingHub.ReportReception), Map(("speakerId", chair.ParticipantId)));

        // AskQuestionRequest: anonymous defaults to false (a named question).
        var asked = await participant.InvokeAsync<Collab.Conferencing.Qa.QuestionView>(nameof(MeetingHub.AskQuestion), Map(("clientQuestionId", "k-1"), ("text", "Who pays?")));
        Assert.Equal((false, "Ana"), (asked.Anonymous, asked.DisplayName));

        // SetFloorModeRequest has no defaults: both fields are required, alike on both protocols.
        var noMaximum = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<FloorView>(nameof(MeetingHub.SetFloorMode), Map(("mode", "Moderated"))));
        Assert.StartsWith("invalid_input:", noMaximum.Reason(), StringComparison.Ordinal);

        // GetChatHistory's beforeSequence may be null: the newest page.
        var page = await participant.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatHistory), null, 10);
        Assert.Equal(["hello"], page.Messages.Select(m => m.Text));
    }
}
