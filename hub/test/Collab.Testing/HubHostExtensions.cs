using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Collab.Conferencing.Meetings;

namespace Collab.Testing;

public static class HubHostExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Settings that lift the per-participant rate limits, for tests that send in bulk on purpose.</summary>
    public static readonly (string Key, string Value)[] Unthrottled =
    [
        ("Collab:Conferencing:ChatMessagesPerSecond", "100000"),
        ("Collab:Conferencing:ChatBurst", "100000"),
        ("Collab:Conferencing:VotesPerSecond", "100000"),
        ("Collab:Conferencing:VoteBurst", "100000"),
        ("Collab:Conferencing:QuestionsPerSecond", "100000"),
        ("Collab:Conferencing:QuestionBurst", "100000"),
    ];

    /// <summary>Creates a meeting through <c>POST /api/meetings</c>, as a real organiser would.</summary>
    public static async Task<CreatedMeeting> CreateMeetingAsync(this HubHost host, string title, CancellationToken cancellationToken)
    {
        using var http = host.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(new Uri("/api/meetings", UriKind.Relative), new CreateMeetingRequest(title), Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CreatedMeeting>(Json, cancellationToken) ?? throw new InvalidOperationException("Empty create response.");
    }

    public static Task<MeetingClient> ConnectAsync(this HubHost host, HubProtocol protocol = HubProtocol.Json, Microsoft.AspNetCore.Http.Connections.HttpTransportType transport = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets) =>
        MeetingClient.ConnectAsync(host.Address, protocol, transport, Xunit.TestContext.Current.CancellationToken);

    /// <summary>Connects and joins as a participant (join code) or moderator (moderator key).</summary>
    public static async Task<(MeetingClient Client, JoinResult Join)> JoinAsync(this HubHost host, CreatedMeeting meeting, string name, bool moderator = false, HubProtocol protocol = HubProtocol.Json)
    {
        var client = await host.ConnectAsync(protocol);
        var join = await client.JoinAsync(moderator
            ? new JoinRequest(meeting.MeetingId, name, ModeratorKey: meeting.ModeratorKey)
            : new JoinRequest(meeting.MeetingId, name, JoinCode: meeting.JoinCode));
        return (client, join);
    }
}
