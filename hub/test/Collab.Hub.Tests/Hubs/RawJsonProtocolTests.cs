using Collab.Testing;

namespace Collab.Hub.Tests.Hubs;

/// <summary>Speaks SignalR's JSON protocol over raw long polling, as a client without a SignalR library would.</summary>
public sealed class RawJsonProtocolTests
{
    private const char RecordSeparator = '\u001e';

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Join_over_raw_long_polling_answers_camel_case_json_with_enums_as_strings()
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Assembly", Cancel);
        using var http = host.CreateHttpClient();

        using var negotiate = await http.PostAsync(new Uri("/hubs/meeting/negotiate?negotiateVersion=1", UriKind.Relative), null, Cancel);
        var token = System.Text.Json.JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("connectionToken").GetString();
        var endpoint = new Uri($"/hubs/meeting?id={token}", UriKind.Relative);
        await PollAsync(http, endpoint);
        await SendAsync(http, endpoint, """{"protocol":"json","version":1}""");
        Assert.Equal("{}", Assert.Single(await PollUntilAsync(http, endpoint, _ => true)));
        await SendAsync(http, endpoint, $$"""{"type":1,"invocationId":"1","target":"Join","arguments":[{"meetingId":"{{meeting.MeetingId}}","displayName":"Ana","joinCode":"{{meeting.JoinCode}}"}]}""");
        var messages = await PollUntilAsync(http, endpoint, message => message.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal));

        var completion = System.Text.Json.JsonDocument.Parse(messages.Single(m => m.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))).RootElement;
        var result = completion.GetProperty("result");
        Assert.Equal(3, completion.GetProperty("type").GetInt32());
        Assert.Equal("Participant", result.GetProperty("role").GetString());
        Assert.Equal("Ana", result.GetProperty("displayName").GetString());
        Assert.Equal(meeting.MeetingId, result.GetProperty("meeting").GetProperty("meetingId").GetString());
        Assert.StartsWith("v1.", result.GetProperty("resumeToken").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, result.GetProperty("lastChatSequence").GetInt64());
    }

    private static async Task SendAsync(HttpClient http, Uri endpoint, string message)
    {
        using var content = new StringContent(message + RecordSeparator);
        using var response = await http.PostAsync(endpoint, content, Cancel);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string[]> PollAsync(HttpClient http, Uri endpoint)
    {
        using var response = await http.GetAsync(endpoint, Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(Cancel)).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Long-polls (at most 5 polls) until a message matches; returns every message received.</summary>
    private static async Task<List<string>> PollUntilAsync(HttpClient http, Uri endpoint, Func<string, bool> match)
    {
        var received = new List<string>();
        for (var poll = 0; poll < 5 && !received.Any(match); poll++)
        {
            received.AddRange(await PollAsync(http, endpoint));
        }

        return received;
    }
}
