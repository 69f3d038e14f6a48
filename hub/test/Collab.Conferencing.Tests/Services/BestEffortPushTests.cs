using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

/// <summary>A push that fails never fails the call that made it: it is logged and counted, and the state is stored.</summary>
public sealed class BestEffortPushTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_chat_message_whose_push_fails_is_accepted_stored_and_the_failure_counted()
    {
        using var harness = new Harness();
        using var failures = new FailedPushes(harness);
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        harness.Notifier.Fails = push => push == "chat";

        var sent = await harness.Chat.SendAsync(ana, new SendChatRequest("m1", "hello"));

        Assert.Equal("hello", sent.Text);
        var history = await harness.Chat.GetHistoryAsync(ana, beforeSequence: null, limit: 10);
        Assert.Equal([sent.Sequence], history.Messages.Select(m => m.Sequence));
        Assert.Equal(1, failures.Of("chat message"));
        Assert.Empty(harness.Notifier.Of<ChatMessage>("chat"));
    }

    [Fact]
    public async Task A_vote_whose_tally_push_fails_is_accepted_and_the_failure_counted()
    {
        using var harness = new Harness();
        using var failures = new FailedPushes(harness);
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await harness.Polls.OpenAsync(moderator, poll.PollId);
        harness.Notifier.Fails = push => push == "tally";

        var ballot = await harness.Polls.VoteAsync(ana, new VoteRequest(poll.PollId, [0]));

        Assert.Equal([0], ballot.OptionIndexes);
        // The tally push is coalesced and runs beside the call; wait for its failure to be counted.
        using var timeout = new CancellationTokenSource(s_timeout);
        while (failures.Of("poll tally") == 0)
        {
            await Task.Delay(10, timeout.Token);
        }

        var tally = await harness.PollStore.GetTallyAsync(meeting.MeetingId, poll.PollId, 2, final: false, TestContext.Current.CancellationToken);
        Assert.Equal([1, 0], tally.Counts);
        Assert.Equal(1, failures.Of("poll tally"));
    }

    [Fact]
    public async Task A_floor_change_whose_push_fails_is_stored_and_the_failure_counted()
    {
        using var harness = new Harness();
        using var failures = new FailedPushes(harness);
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        harness.Notifier.Fails = push => push == "floor";

        var floor = await harness.Services.GetRequiredService<Audio.FloorService>().RequestAsync(ana);

        Assert.Single(floor.Speakers);
        Assert.Equal(1, failures.Of("floor"));
    }

    /// <summary>Counts <c>collab.pushes.failed</c> of one harness, by the push tag.</summary>
    private sealed class FailedPushes : IDisposable
    {
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly MeterListener _listener;

        public FailedPushes(Harness harness)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Name == "collab.pushes.failed" && ReferenceEquals(instrument.Meter.Scope, harness.MeterFactory))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "push")
                    {
                        _counts.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
                    }
                }
            });
            _listener.Start();
        }

        public long Of(string push) => _counts.GetValueOrDefault(push);

        public void Dispose() => _listener.Dispose();
    }
}
