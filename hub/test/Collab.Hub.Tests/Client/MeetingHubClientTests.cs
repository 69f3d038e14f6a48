using System.Reflection;
using Collab.Conferencing;
using Collab.Conferencing.Client;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Tests.Client;

/// <summary>The one .NET client against the hub contract: typed calls, typed pushes, refusals read as codes, the reconnect formula.</summary>
public sealed class MeetingHubClientTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MeetingHubProtocol.Json)]
    [InlineData(MeetingHubProtocol.MessagePack)]
    public async Task Typed_calls_and_pushes_reach_the_hub_and_a_refusal_reads_as_its_code(MeetingHubProtocol protocol)
    {
        await using var host = await HubHost.StartAsync();
        var meeting = await host.CreateMeetingAsync("Water committee", Cancel);
        await using var connection = MeetingHubConnection.Build(host.Address, new MeetingConnectionOptions { Protocol = protocol });
        // The push goes to the participant's other connection (a second tab): the sender's own has the result.
        await using var tab = MeetingHubConnection.Build(host.Address, new MeetingConnectionOptions { Protocol = protocol });
        var pushed = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = tab.OnChatMessageReceived(message => pushed.TrySetResult(message));
        await connection.StartAsync(Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        await tab.StartAsync(Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel);

        var early = await Assert.ThrowsAsync<HubException>(() => connection.SendChatAsync(new SendChatRequest("c1", "hello"), Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel));
        var refusal = MeetingRefusal.Parse(early);
        Assert.Equal("not_joined", refusal.Code);
        Assert.Equal(ConferencingError.NotJoined, refusal.Error);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Reason));
        Assert.StartsWith("not_joined: ", refusal.Message, StringComparison.Ordinal);

        var join = await connection.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode), Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        await tab.JoinAsync(new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: join.ResumeToken), Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        var sent = await connection.SendChatAsync(new SendChatRequest("c1", "hello"), Cancel).WaitAsync(MeetingClient.DefaultTimeout, Cancel);
        var received = await pushed.Task.WaitAsync(MeetingClient.DefaultTimeout, Cancel);

        Assert.Equal(ParticipantRole.Participant, join.Role);
        Assert.Equal("hello", sent.Text);
        Assert.Equal(sent.Sequence, received.Sequence);
        Assert.Equal(join.ParticipantId, received.ParticipantId);
    }

    [Fact]
    public void Every_method_of_the_hub_is_in_the_contract()
    {
        var contract = typeof(IMeetingHub).GetMethods().Select(method => method.Name).Order(StringComparer.Ordinal);
        var hub = typeof(MeetingHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(method => !method.IsSpecialName && method.Name is not (nameof(MeetingHub.OnConnectedAsync) or nameof(MeetingHub.OnDisconnectedAsync)))
            .Select(method => method.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(contract, hub);
    }

    [Fact]
    public void Every_push_of_the_contract_is_registered_by_the_client()
    {
        var pushes = typeof(IMeetingClient).GetMethods().Select(method => method.Name).Order(StringComparer.Ordinal);
        var typed = typeof(MeetingClientPushes).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(method => method.Name.StartsWith("On", StringComparison.Ordinal))
            .Select(method => method.Name["On".Length..])
            .Order(StringComparer.Ordinal);

        Assert.Equal(pushes, typed);
    }

    [Fact]
    public void Every_hub_method_of_the_contract_has_a_typed_call()
    {
        var methods = typeof(IMeetingHub).GetMethods().Select(method => method.Name + "Async").Order(StringComparer.Ordinal);
        var typed = typeof(MeetingHubCalls).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(method => method.Name != "SendReportReceptionAsync")
            .Select(method => method.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(methods, typed);
    }

    [Fact]
    public void Every_error_code_reads_back_as_its_error()
    {
        var codes = Enum.GetValues<ConferencingError>().Select(ConferencingErrorCodes.Of).ToList();

        Assert.DoesNotContain(ConferencingErrorCodes.Unknown, codes);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        foreach (var error in Enum.GetValues<ConferencingError>())
        {
            Assert.True(ConferencingErrorCodes.TryParse(ConferencingErrorCodes.Of(error), out var parsed));
            Assert.Equal(error, parsed);
            Assert.Equal(ConferencingException.CodeOf(error), ConferencingErrorCodes.Of(error));
        }

        Assert.False(ConferencingErrorCodes.TryParse("no_such_code", out _));
    }

    [Fact]
    public void A_refusal_without_a_code_is_an_unknown_error()
    {
        var refusal = MeetingRefusal.Parse(new HubException("Failed to invoke 'Vote' due to an error on the server."));

        Assert.Equal(ConferencingErrorCodes.Unknown, refusal.Code);
        Assert.Null(refusal.Error);
    }

    [Fact]
    public void Reconnect_delays_follow_the_protocol_formula_and_never_give_up()
    {
        var policy = new MeetingReconnectPolicy(random: new Random(7));
        var delays = Enumerable.Range(0, 200)
            .Select(attempt => (Attempt: attempt, Delay: policy.NextRetryDelay(new RetryContext { PreviousRetryCount = attempt, ElapsedTime = TimeSpan.Zero })))
            .ToList();

        Assert.All(delays, d => Assert.NotNull(d.Delay));
        Assert.All(delays, d => Assert.InRange(d.Delay!.Value.TotalMilliseconds, 0, Math.Min(30_000, 500 * Math.Pow(2, Math.Min(d.Attempt, 30)))));
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.Ceiling(0));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.Ceiling(3));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Ceiling(6));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Ceiling(1_000));
        // Full jitter: late attempts spread over the whole [0, 30 s] range, not only near the ceiling.
        var late = delays.Skip(10).Select(d => d.Delay!.Value.TotalSeconds).ToList();
        Assert.True(late.Min() < 10 && late.Max() > 20, $"late delays span {late.Min():0.0}–{late.Max():0.0} s");
    }
}
