using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Collab.Conferencing.Audio;
using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

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

    [Fact]
    public async Task Every_instrument_is_tagged_from_small_fixed_sets_and_never_with_an_id()
    {
        using var harness = new Harness();
        string[] meters = [ConferencingMetrics.MeterName, AudioMetrics.MeterName];
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["role"] = [nameof(ParticipantRole.Participant), nameof(ParticipantRole.Moderator)],
            ["resumed"] = ["True", "False"],
            ["error"] = [.. Enum.GetValues<ConferencingError>().Select(ConferencingException.CodeOf)],
        };
        var tags = new ConcurrentBag<(string Instrument, string Key, string? Value)>();
        var measurements = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (meters.Contains(instrument.Meter.Name) && ReferenceEquals(instrument.Meter.Scope, harness.MeterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, measured, _) =>
        {
            measurements.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
            foreach (var tag in measured)
            {
                tags.Add((instrument.Name, tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        });
        listener.Start();

        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        await harness.JoinAsync(meeting, "Ana");
        await harness.Chat.SendAsync(moderator, new SendChatRequest("m1", "hello"));
        var conferencing = harness.Services.GetRequiredService<ConferencingMetrics>();
        conferencing.CallRejected(ConferencingException.CodeOf(ConferencingError.RateLimited));
        var audio = harness.Services.GetRequiredService<AudioMetrics>();
        audio.PacketsIn(3);
        audio.PacketsOut(3);
        audio.PacketsDropped(1);

        Assert.Equal(2, measurements.GetValueOrDefault("collab.meetings.joins"));
        Assert.Equal(1, measurements.GetValueOrDefault("collab.calls.rejected"));
        Assert.Equal(1, measurements.GetValueOrDefault("collab.audio.packets.out"));
        Assert.All(tags, tag =>
        {
            Assert.True(allowed.TryGetValue(tag.Key, out var values), $"{tag.Instrument} is tagged {tag.Key}, which is not a known low-cardinality tag.");
            Assert.Contains(tag.Value ?? string.Empty, values);
        });
        Assert.DoesNotContain(tags, tag => tag.Instrument.StartsWith("collab.audio.", StringComparison.Ordinal));
        Assert.Contains(tags, tag => tag.Key == "error" && tag.Value == "rate_limited");
    }
}
