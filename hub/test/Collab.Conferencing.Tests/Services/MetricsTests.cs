using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Collab.Conferencing.Model;

namespace Collab.Conferencing.Tests.Services;

public sealed class MetricsTests
{
    [Fact]
    public async Task Accepted_messages_votes_and_created_meetings_are_counted_and_duplicates_are_not()
    {
        using var harness = new Harness();
        var measured = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this harness's meters: other tests run in parallel with meters of the same name.
                if (instrument.Meter.Name == ConferencingMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, harness.MeterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();

        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        await harness.Chat.SendAsync(moderator, new SendChatRequest("m1", "hello"));
        await harness.Chat.SendAsync(moderator, new SendChatRequest("m1", "hello"));
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Q?", ["A", "B"]));
        await harness.Polls.OpenAsync(moderator, poll.PollId);
        await harness.Polls.VoteAsync(moderator, new VoteRequest(poll.PollId, [0]));

        Assert.Equal(1, measured.GetValueOrDefault("collab.meetings.created"));
        Assert.Equal(1, measured.GetValueOrDefault("collab.meetings.joins"));
        Assert.Equal(1, measured.GetValueOrDefault("collab.chat.messages"));
        Assert.Equal(1, measured.GetValueOrDefault("collab.polls.votes"));
    }
}
