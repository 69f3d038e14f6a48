using System.Net;
using System.Text.Json;
using Collab.Testing;

namespace Collab.Hub.Tests.Health;

public sealed class HealthEndpointTests(RedisServer sharedRedis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_and_readyz_answer_200_with_in_memory_state_and_no_redis()
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();

        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (await ReadAsync(ready)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_reports_the_shared_redis_reachable()
    {
        sharedRedis.SkipIfUnavailable();
        await using var host = await HubHost.StartAsync(("ConnectionStrings:Redis", sharedRedis.ConnectionString));
        using var http = host.CreateHttpClient();

        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var redisCheck = Assert.Single((await ReadAsync(ready)).GetProperty("checks").EnumerateArray());
        Assert.Equal("redis", redisCheck.GetProperty("name").GetString());
        Assert.Contains("answered PING", redisCheck.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_turns_503_with_a_reason_when_redis_stops_and_200_when_it_returns()
    {
        sharedRedis.SkipIfUnavailable();
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        await using var host = await HubHost.StartAsync(("ConnectionStrings:Redis", redis.ConnectionString));
        using var http = host.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, await WaitForReadyzAsync(http, HttpStatusCode.OK));

        await redis.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await WaitForReadyzAsync(http, HttpStatusCode.ServiceUnavailable));
        using (var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel))
        {
            var description = (await ReadAsync(notReady)).GetProperty("checks")[0].GetProperty("description").GetString();
            Assert.Contains($"127.0.0.1:{redis.Port}", description, StringComparison.Ordinal);
        }

        await redis.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await WaitForReadyzAsync(http, HttpStatusCode.OK));

        // Liveness never depends on Redis: a node with Redis down must not be restarted for it.
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Hub_starts_while_redis_is_unreachable_and_readyz_says_so()
    {
        var closedPort = RedisServer.FreeLoopbackPort();
        await using var host = await HubHost.StartAsync(("ConnectionStrings:Redis", $"127.0.0.1:{closedPort}"));
        using var http = host.CreateHttpClient();

        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel);
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await ReadAsync(ready);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Contains("unreachable", body.GetProperty("checks")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Polls /readyz until it returns <paramref name="expected"/> or 20 s pass; returns the last status.</summary>
    private static async Task<HttpStatusCode> WaitForReadyzAsync(HttpClient http, HttpStatusCode expected)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var status = HttpStatusCode.InternalServerError;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), deadline.Token);
            status = response.StatusCode;
        }
        while (status != expected && await WaitNextAsync(poll, deadline.Token));

        return status;
    }

    private static async Task<bool> WaitNextAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();
}
