using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Collab.Hub.Api;
using Collab.Testing;

namespace Collab.Hub.Tests.Api;

public sealed class MeetingCreationTests
{
    private const string OrganiserKey = "organiser-key-of-the-water-board";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_organiser_keys_configured_only_a_request_with_one_creates_a_meeting()
    {
        await using var host = await HubHost.StartAsync(("Collab:Creation:OrganiserKeys:0", OrganiserKey), ("Collab:Creation:OrganiserKeys:1", "second-organiser-key-000"));
        using var http = host.CreateHttpClient();

        var none = await PostAsync(http, key: null);
        var wrong = await PostAsync(http, key: "not-the-key-at-all-0000");
        var right = await PostAsync(http, key: OrganiserKey);
        var second = await PostAsync(http, key: "second-organiser-key-000");

        foreach (var (status, body) in new[] { none, wrong })
        {
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("forbidden", body.GetProperty("code").GetString());
            Assert.Equal("Creating meetings needs an organiser key in the X-Organiser-Key header.", body.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.Created, right.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
    }

    [Fact]
    public async Task Creation_is_open_without_organiser_keys_and_rate_limited_per_client_with_a_retry_time()
    {
        await using var host = await HubHost.StartAsync(("Collab:Creation:PermitsPerWindow", "3"), ("Collab:Creation:WindowSeconds", "600"));
        using var http = host.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await PostAsync(http, key: null)).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/meetings", UriKind.Relative)) { Content = JsonContent.Create(new { title = "Fourth" }) };
        using var refused = await http.SendAsync(request, Cancel);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600));
        Assert.Matches(@"^Too many meetings created by this client; retry in \d+ s\.$", problem.GetProperty("detail").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/meetings", UriKind.Relative)) { Content = JsonContent.Create(new { title = "Water committee" }) };
        if (key is not null)
        {
            request.Headers.Add(MeetingCreationAccess.OrganiserKeyHeader, key);
        }

        using var response = await http.SendAsync(request, Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone());
    }
}
