using System.Net;
using Collab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Collab.Conferencing.Meetings;

namespace Collab.Hub.Tests.Https;

/// <summary>The hub serving HTTPS itself from PEM files (Kestrel's Certificate:Path/KeyPath), with a certificate made per run.</summary>
public sealed class HttpsTests : IDisposable
{
    private readonly TestCertificate _certificate = TestCertificate.Create();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plain_http_is_redirected_to_the_https_endpoint_but_health_probes_are_answered()
    {
        await using var host = await HubHost.StartAsync(_certificate.KestrelSettings());
        var http = host.Addresses.Single(address => address.Scheme == Uri.UriSchemeHttp);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15) };

        using var page = await client.GetAsync(new Uri(http, "/?meeting=abc"), Cancel);
        using var negotiate = await client.PostAsync(new Uri(http, "/hubs/meeting/negotiate?negotiateVersion=1"), null, Cancel);
        using var health = await client.GetAsync(new Uri(http, "/healthz"), Cancel);
        using var ready = await client.GetAsync(new Uri(http, "/readyz"), Cancel);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal(new Uri(host.Address, "/?meeting=abc"), page.Headers.Location);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"), "HSTS is never sent over plain HTTP");
    }

    [Fact]
    public async Task Https_responses_carry_hsts_for_a_real_host_name_and_not_for_localhost()
    {
        await using var host = await HubHost.StartAsync(_certificate.KestrelSettings());
        using var client = TrustingClient();

        using var venue = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "/healthz"));
        venue.Headers.Host = $"{TestCertificate.VenueHost}:{host.Address.Port}";
        using var venueResponse = await client.SendAsync(venue, Cancel);
        using var loopback = await client.GetAsync(new Uri(host.Address, "/healthz"), Cancel);

        Assert.Equal(HttpStatusCode.OK, venueResponse.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(venueResponse.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(HttpStatusCode.OK, loopback.StatusCode);
        Assert.False(loopback.Headers.Contains("Strict-Transport-Security"), "no HSTS for 127.0.0.1, so a developer's browser is not pinned");
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task The_dotnet_client_joins_and_chats_over_https_and_wss(HttpTransportType transport)
    {
        await using var host = await HubHost.StartAsync(_certificate.KestrelSettings());
        Assert.Equal(Uri.UriSchemeHttps, host.Address.Scheme);
        var meeting = await CreateMeetingAsync(host);

        await using var moderator = await MeetingClient.ConnectAsync(host.Address, transport: transport, cancellationToken: Cancel, configure: Trust);
        await using var participant = await MeetingClient.ConnectAsync(host.Address, transport: transport, cancellationToken: Cancel, configure: Trust);
        await moderator.JoinAsync(new JoinRequest(meeting.MeetingId, "Lea", ModeratorKey: meeting.ModeratorKey));
        await participant.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode));
        var sent = await participant.SendChatAsync("m1", "over TLS");

        await moderator.WaitForAsync(client => client.ChatReceived.Any(message => message.Sequence == sent.Sequence), "the chat message over TLS");
        Assert.Equal("over TLS", moderator.ChatReceived.Single(message => message.Sequence == sent.Sequence).Text);
    }

    [Fact]
    public async Task A_certificate_the_client_does_not_trust_is_refused()
    {
        await using var host = await HubHost.StartAsync(_certificate.KestrelSettings());

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => MeetingClient.ConnectAsync(host.Address, cancellationToken: Cancel));

        Assert.Contains("SSL", refused.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _certificate.Dispose();

    private void Trust(HttpConnectionOptions options)
    {
        options.HttpMessageHandlerFactory = handler =>
        {
            ((HttpClientHandler)handler).ServerCertificateCustomValidationCallback = (_, presented, _, _) => _certificate.Validate(presented);
            return handler;
        };
        options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, presented, _, _) => _certificate.Validate(presented);
    }

    private HttpClient TrustingClient() => new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => _certificate.Validate(presented),
    })
    { Timeout = TimeSpan.FromSeconds(15) };

    private async Task<CreatedMeeting> CreateMeetingAsync(HubHost host)
    {
        using var client = TrustingClient();
        using var response = await client.PostAsync(
            new Uri(host.Address, "/api/meetings"),
            new StringContent("""{"title":"Venue"}""", System.Text.Encoding.UTF8, "application/json"),
            Cancel);
        response.EnsureSuccessStatusCode();
        return await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<CreatedMeeting>(response.Content, HubHostExtensions.Json, Cancel)
            ?? throw new InvalidOperationException("Empty create response.");
    }
}
