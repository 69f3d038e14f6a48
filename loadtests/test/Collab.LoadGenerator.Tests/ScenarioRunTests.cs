using Collab.Conferencing;
using Collab.Conferencing.InMemory;
using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;
using Collab.Hub;
using Collab.LoadGenerator.Impairment;
using Collab.LoadGenerator.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Collab.LoadGenerator.Tests;

/// <summary>Short real runs (seconds, a handful of participants) against hub nodes on loopback.</summary>
[Collection(nameof(ImpairmentProxyTests))]
public sealed class ScenarioRunTests
{
    private static readonly ServiceLevelObjectives s_objectives = new(ChatP99Milliseconds: 5_000, AudioLossPercent: 5);

    [Fact]
    public async Task A_short_town_hall_on_a_real_hub_meets_its_objectives()
    {
        await using var hub = await StartHubAsync(lossy: false);
        var settings = ScenarioSettings.For("town-hall", participants: 6, TimeSpan.FromSeconds(12), NetworkProfile.Good with { Name = "impaired", OneWayLatencyMilliseconds = 30 }, speakers: 1, seed: 1)
            with { ChatMessagesPerParticipantPerSecond = 1 };

        var result = await new ScenarioRunner(settings, [hub.Address], _ => { }).RunAsync(TestContext.Current.CancellationToken);

        Assert.All(result.Check(s_objectives), check => Assert.True(check.Met, $"{check.Objective}: {check.Measured}"));
        Assert.True(result.ChatMessages >= 6, $"only {result.ChatMessages} chat messages");
        Assert.Equal(result.ChatMessages * 6, result.ChatDeliveriesExpected);
        Assert.NotEmpty(result.Tallies);
        Assert.True(result.AudioPacketsHeard > 100, $"only {result.AudioPacketsHeard} audio packets heard");
        Assert.True(result.Playout.Decoded > 100, $"the sampled listeners decoded only {result.Playout.Decoded} frames");

        // 30 ms each way: every latency includes at least one crossing, mouth-to-ear also framing and the jitter buffer.
        var latencies = result.Latencies;
        Assert.All([latencies.ChatMilliseconds, latencies.PollMilliseconds, latencies.AudioMilliseconds, latencies.MouthToEarMilliseconds], sorted => Assert.NotEmpty(sorted));
        Assert.True(latencies.AudioMilliseconds[latencies.AudioMilliseconds.Count / 2] >= 30, "audio relay faster than the link's one-way delay");
        Assert.InRange(latencies.MouthToEarMilliseconds[latencies.MouthToEarMilliseconds.Count / 2], 100, 1_500);
        Assert.NotEmpty(result.IntelligibilityScores);
        Assert.True(result.MeanIntelligibility > 0.85, $"STOI {result.MeanIntelligibility:0.000} on a clean link");
        Assert.Contains(result.AudioOverTime, second => second.LossPercent == 0);
        Assert.True(result.SpeakerBitrates.Single().KilobitsPerSecond.Max() > 10, "the speaker's bitrate was not counted");

        var html = HtmlReport.Render(result, s_objectives);
        Assert.True(html.Split("<svg").Length - 1 >= 4, "the report lacks its charts (completeness, latency, audio loss, bitrate)");
        Assert.Contains("audio mouth-to-ear", html, StringComparison.Ordinal);
        Assert.Contains("Not measured", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_speaker_whose_uplink_cannot_carry_its_profile_steps_down_to_one_that_fits()
    {
        await using var hub = await StartHubAsync(lossy: false);
        var settings = ScenarioSettings.For("town-hall", participants: 3, TimeSpan.FromSeconds(12), NetworkProfile.Good with { Name = "thin uplink", UpKilobitsPerSecond = 20, OneWayLatencyMilliseconds = 40 }, speakers: 1, seed: 1)
            with { ChatMessagesPerParticipantPerSecond = 0 };

        var result = await new ScenarioRunner(settings, [hub.Address], _ => { }).RunAsync(TestContext.Current.CancellationToken);

        // The starting profile (standard) needs about 26 kbit/s on the wire; only lifeline fits in 20.
        var down = Assert.Single(result.ProfileChanges.Take(1));
        Assert.Equal("lifeline", down.Profile);
        Assert.True(down.Seconds < 10, $"stepped down only {down.Seconds:0.0} s in");
    }

    [Fact]
    public async Task When_a_spawned_node_dies_its_participants_fail_over_and_nothing_is_lost()
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        await using var deployment = await Hosting.SpawnedDeployment.StartAsync(2, Configuration, _ => { });
        var settings = ScenarioSettings.For("reconnect-storm", participants: 8, TimeSpan.FromSeconds(10), NetworkProfile.Good, speakers: 0, seed: 1);

        var result = await new ScenarioRunner(settings, deployment.Hubs, _ => { }, deployment.KillHubAsync).RunAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Reconnects >= 4, $"{result.Reconnects} participants failed over; the 4 on the killed node should have");
        Assert.True(result.ChatMessages >= 8, $"only {result.ChatMessages} chat messages");
        Assert.Equal(result.ChatDeliveriesExpected, result.ChatDeliveriesReceived);
        Assert.True(result.TalliesExact);
    }

    [Fact]
    public async Task A_hub_that_loses_one_chat_message_fails_the_run()
    {
        await using var hub = await StartHubAsync(lossy: true);
        var settings = ScenarioSettings.For("chat-storm", participants: 4, TimeSpan.FromSeconds(4), NetworkProfile.Good, speakers: 0, seed: 1);

        var result = await new ScenarioRunner(settings, [hub.Address], _ => { }).RunAsync(TestContext.Current.CancellationToken);

        var exactlyOnce = result.Check(s_objectives).Single(check => check.Objective.StartsWith("chat delivered", StringComparison.Ordinal));
        Assert.False(exactlyOnce.Met);
        Assert.Equal(result.ChatDeliveriesExpected - 4, result.ChatDeliveriesReceived);
    }

    /// <summary>A hub on real Kestrel; with <paramref name="lossy"/> it acknowledges chat sequence 2 but never delivers or stores it.</summary>
    private static async Task<Host> StartHubAsync(bool lossy)
    {
        var app = CollabHubApplication.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing", .. s_unthrottled], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (lossy)
            {
                var notifier = builder.Services.Single(d => d.ServiceType == typeof(IMeetingNotifier));
                builder.Services.Replace(ServiceDescriptor.Singleton<IChatStore>(provider => new LosingChatStore(ActivatorUtilities.CreateInstance<InMemoryChatStore>(provider))));
                builder.Services.Replace(ServiceDescriptor.Singleton<IMeetingNotifier>(provider => new LosingNotifier((IMeetingNotifier)ActivatorUtilities.CreateInstance(provider, notifier.ImplementationType!))));
            }
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Host(app, new Uri(address));
    }

    private static readonly string[] s_unthrottled = ["--Collab:Conferencing:ChatMessagesPerSecond=1000", "--Collab:Conferencing:ChatBurst=1000", "--Collab:Conferencing:VotesPerSecond=1000", "--Collab:Conferencing:VoteBurst=1000"];

    private sealed record Host(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }

    private sealed class LosingChatStore(IChatStore inner) : IChatStore
    {
        public Task<ChatAppendResult> AppendAsync(string meetingId, ChatDraft draft, CancellationToken cancellationToken = default) => inner.AppendAsync(meetingId, draft, cancellationToken);

        public Task<ChatPage> GetBeforeAsync(string meetingId, long? beforeSequence, int limit, CancellationToken cancellationToken = default) => inner.GetBeforeAsync(meetingId, beforeSequence, limit, cancellationToken);

        public async Task<ChatPage> GetAfterAsync(string meetingId, long afterSequence, int limit, CancellationToken cancellationToken = default)
        {
            var page = await inner.GetAfterAsync(meetingId, afterSequence, limit, cancellationToken);
            return page with { Messages = [.. page.Messages.Where(message => message.Sequence != 2)] };
        }

        public Task<long> GetLastSequenceAsync(string meetingId, CancellationToken cancellationToken = default) => inner.GetLastSequenceAsync(meetingId, cancellationToken);
    }

    private sealed class LosingNotifier(IMeetingNotifier inner) : IMeetingNotifier
    {
        public Task AddConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => inner.AddConnectionAsync(connectionId, meetingId, moderator, cancellationToken);

        public Task RemoveConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => inner.RemoveConnectionAsync(connectionId, meetingId, moderator, cancellationToken);

        public Task ChatMessageAsync(string meetingId, ChatMessage message, CancellationToken cancellationToken = default) =>
            message.Sequence == 2 ? Task.CompletedTask : inner.ChatMessageAsync(meetingId, message, cancellationToken);

        public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantJoinedAsync(meetingId, participant, audience, cancellationToken);

        public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantUpdatedAsync(meetingId, participant, audience, cancellationToken);

        public Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken);

        public Task ParticipantCountAsync(string meetingId, ParticipantCountView count, CancellationToken cancellationToken = default) => inner.ParticipantCountAsync(meetingId, count, cancellationToken);

        public Task PollUpdatedAsync(string meetingId, PollView poll, CancellationToken cancellationToken = default) => inner.PollUpdatedAsync(meetingId, poll, cancellationToken);

        public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) => inner.PollTallyUpdatedAsync(meetingId, tally, cancellationToken);

        public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) => inner.MeetingEndedAsync(meetingId, cancellationToken);
    }
}
