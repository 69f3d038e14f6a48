using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;

namespace Collab.Hub.Tests.Api;

public sealed class MeetingApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_api_meetings_returns_201_with_id_join_code_and_moderator_key()
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var response = await http.PostAsJsonAsync(new Uri("/api/meetings", UriKind.Relative), new { title = "Water committee" }, Cancel);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var meetingId = body.GetProperty("meetingId").GetString();
        Assert.Equal($"/api/meetings/{meetingId}", response.Headers.Location?.OriginalString);
        Assert.Equal("Water committee", body.GetProperty("title").GetString());
        Assert.Equal(8, body.GetProperty("joinCode").GetString()?.Length);
        Assert.True(body.GetProperty("moderatorKey").GetString()?.Length >= 40);
        Assert.True(body.GetProperty("settings").GetProperty("chatEnabled").GetBoolean());
    }

    [Fact]
    public async Task Post_api_meetings_takes_optional_settings_and_a_polls_only_meeting_refuses_chat()
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var response = await http.PostAsJsonAsync(new Uri("/api/meetings", UriKind.Relative), new { title = "Ballot", settings = new { chatEnabled = false } }, Cancel);
        var meeting = await response.Content.ReadFromJsonAsync<CreatedMeeting>(HubHostExtensions.Json, Cancel);
        var (client, join) = await host.JoinAsync(meeting!, "Ana");
        await using var _c = client;
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.SendChatAsync("m1", "hello"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(meeting!.Settings.ChatEnabled);
        Assert.False(join.Meeting.Settings.ChatEnabled);
        Assert.Equal("conflict: Chat is turned off for this meeting.", refused.Reason());
    }

    [Theory]
    [InlineData("{\"title\":\"   \"}", "Title is required")]
    [InlineData("{}", "Title is required")]
    public async Task Post_api_meetings_without_a_title_returns_400_problem_details_with_the_reason(string json, string reason)
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/api/meetings", UriKind.Relative), content, Cancel);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_input", body.GetProperty("title").GetString());
        Assert.Contains(reason, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_api_meetings_with_malformed_json_returns_400()
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var content = new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/api/meetings", UriKind.Relative), content, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Export_needs_the_moderator_key_and_returns_chat_and_poll_results_as_json_and_csv()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Budget", Cancel);
        var (moderator, _) = await host.JoinAsync(meeting, "Chair", moderator: true);
        await using var _m = moderator;
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        await ana.SendChatAsync("m1", "=SUM(A1), with a comma");
        var poll = await moderator.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Approve?", ["Yes", "No"], Anonymous: false));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.OpenPoll), poll.PollId);
        await ana.InvokeAsync<BallotView>(nameof(MeetingHub.Vote), new VoteRequest(poll.PollId, [0]));
        await moderator.InvokeAsync<PollView>(nameof(MeetingHub.ClosePoll), poll.PollId);
        using var http = host.CreateHttpClient();

        using var anonymous = await http.GetAsync(new Uri($"/api/meetings/{meeting.MeetingId}/export", UriKind.Relative), Cancel);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, $"/api/meetings/{meeting.MeetingId}/export");
        wrongKey.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, meeting.JoinCode);
        using var wrong = await http.SendAsync(wrongKey, Cancel);
        var json = JsonDocument.Parse(await GetAsync(http, $"/api/meetings/{meeting.MeetingId}/export", meeting.ModeratorKey)).RootElement;
        var chatCsv = await GetAsync(http, $"/api/meetings/{meeting.MeetingId}/export/chat.csv", meeting.ModeratorKey);
        var pollsCsv = await GetAsync(http, $"/api/meetings/{meeting.MeetingId}/export/polls.csv", meeting.ModeratorKey);

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("=SUM(A1), with a comma", json.GetProperty("chat")[0].GetProperty("text").GetString());
        var exportedPoll = json.GetProperty("polls")[0];
        Assert.Equal(1, exportedPoll.GetProperty("poll").GetProperty("tally").GetProperty("counts")[0].GetInt32());
        Assert.Equal("Ana", exportedPoll.GetProperty("ballots")[0].GetProperty("displayName").GetString());
        var chatLines = chatCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,sent_at_utc,participant_id,display_name,text,deleted", chatLines[0]);
        Assert.EndsWith(",Ana,\"'=SUM(A1), with a comma\",false", chatLines[1], StringComparison.Ordinal);
        var pollLines = pollsCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, pollLines.Length);
        Assert.Equal($"{poll.PollId},Approve?,closed,false,false,1,0,Yes,1,Ana", pollLines[1]);
        Assert.Equal($"{poll.PollId},Approve?,closed,false,false,1,1,No,0,", pollLines[2]);
    }

    private static async Task<string> GetAsync(HttpClient http, string path, string moderatorKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(MeetingEndpoints.ModeratorKeyHeader, moderatorKey);
        using var response = await http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Cancel);
    }
}
