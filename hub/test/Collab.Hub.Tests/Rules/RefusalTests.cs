using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Collab.Hub.Api;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Rules;

/// <summary>Every HTTP refusal is problem details with a code; ordinary refusals are logged below warning, without exceptions.</summary>
public sealed class RefusalTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> HttpRefusals => new()
    {
        { "POST", "/api/meetings", "{\"title\": ", "application/json", HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/meetings", "{\"title\": 42}", "application/json", HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/meetings", "{}", "application/json", HttpStatusCode.BadRequest, "invalid_input" },
        { "POST", "/api/meetings", "title=x", "text/plain", HttpStatusCode.UnsupportedMediaType, "invalid_input" },
        { "GET", "/api/meetings", null, null, HttpStatusCode.MethodNotAllowed, "method_not_allowed" },
        { "GET", "/api/nothing-here", null, null, HttpStatusCode.NotFound, "not_found" },
        { "GET", "/api/meetings/abcdefabcdef/export", null, null, HttpStatusCode.NotFound, "not_found" },
    };

    [Theory]
    [MemberData(nameof(HttpRefusals))]
    public async Task Every_http_refusal_is_problem_details_with_a_code(string method, string path, string? body, string? mediaType, HttpStatusCode status, string code)
    {
        await using var host = await HubHost.StartAsync();
        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType!);
        }

        using var response = await http.SendAsync(request, Cancel);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(code, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Ordinary_refusals_are_logged_below_warning_and_without_exceptions()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await HubHost.StartAsync(
            builder => builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs),
            ("Collab:Conferencing:ChatBurst", "2"), ("Collab:Conferencing:ChatMessagesPerSecond", "0.1"), ("Collab:Conferencing:WrongJoinCodeLimit", "2"));
        var meeting = await host.CreateMeetingAsync("Water committee", Cancel);
        var (ana, _) = await host.JoinAsync(meeting, "Ana");
        await using var _a = ana;
        var guesser = await host.ConnectAsync();
        await using var _g = guesser;
        logs.Clear(); // startup notices (no web root in a test build, no resume token key) are not refusals

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "WRONGCOD")));
        }

        await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest(meeting.MeetingId, "Eve", ResumeToken: "v1.forged.token")));
        await Assert.ThrowsAsync<HubException>(() => guesser.JoinAsync(new JoinRequest("nosuchmeeting", "Eve", JoinCode: meeting.JoinCode)));
        await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("a-1", new string('x', 5_000)));
        await ana.SendChatAsync("a-2", "hello");
        await Assert.ThrowsAsync<HubException>(() => ana.SendChatAsync("a-3", "too fast"));
        await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<PollView>(nameof(MeetingHub.CreatePoll), new CreatePollRequest("Mine?", ["A", "B"])));
        await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync<ChatPage>(nameof(MeetingHub.GetChatSince), "not a number", 5));
        using var http = host.CreateHttpClient();
        using var malformed = new StringContent("{\"title\": ", Encoding.UTF8, "application/json");
        using var refused = await http.PostAsync(new Uri("/api/meetings", UriKind.Relative), malformed, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        Assert.Contains(logs.Entries, e => e.Category.StartsWith("Collab.", StringComparison.Ordinal) && e.Message.Contains("Wrong join code", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Information && e.Exception is not null);
    }

    private sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public void Clear() => _entries.Clear();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
