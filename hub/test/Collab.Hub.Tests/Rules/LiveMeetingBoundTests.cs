using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Collab.Hub.Hubs;
using Collab.Testing;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

public sealed class LiveMeetingBoundTests(RedisServer redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Past_the_deployment_bound_on_live_meetings_creation_answers_503_on_every_node_until_one_ends(bool scaledOut)
    {
        await using var deployment = await Deployment.StartAsync(scaledOut, redis, ("Collab:Conferencing:MaxLiveMeetings", "2"));
        var first = await deployment.A.CreateMeetingAsync("First", Cancel);
        await deployment.B.CreateMeetingAsync("Second", Cancel);

        var refusedOnA = await PostAsync(deployment.A);
        var refusedOnB = await PostAsync(deployment.B);
        var (chair, _) = await deployment.B.JoinAsync(first, "Chair", moderator: true);
        await using var _c = chair;
        await chair.InvokeAsync<MeetingInfo>(nameof(MeetingHub.EndMeeting));
        var afterEnd = await PostAsync(deployment.A);

        foreach (var (status, problem) in new[] { refusedOnA, refusedOnB })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unavailable", problem?.GetProperty("code").GetString());
            Assert.Equal("This deployment already runs its maximum of 2 live meetings; end one or try again later.", problem?.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.Created, afterEnd.Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement? Body)> PostAsync(HubHost host)
    {
        using var http = host.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(new Uri("/api/meetings", UriKind.Relative), new { title = "One more" }, Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone());
    }
}
