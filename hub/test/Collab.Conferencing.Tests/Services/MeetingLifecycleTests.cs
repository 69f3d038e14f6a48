using Microsoft.Extensions.DependencyInjection;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

public sealed class MeetingLifecycleTests
{
    [Fact]
    public async Task Past_the_bound_on_live_meetings_creation_is_refused_until_one_ends()
    {
        using var harness = new Harness(("MaxLiveMeetings", "2"));
        var first = await harness.CreateMeetingAsync("First");
        await harness.CreateMeetingAsync("Second");

        var refused = await Assert.ThrowsAsync<ConferencingException>(() => harness.CreateMeetingAsync("Third"));
        var (moderator, _) = await harness.JoinAsync(first, "Chair", moderator: true);
        await harness.Meetings.EndAsync(moderator);
        var third = await harness.CreateMeetingAsync("Third");

        Assert.Equal(ConferencingError.Unavailable, refused.Error);
        Assert.Equal("This deployment already runs its maximum of 2 live meetings; end one or try again later.", refused.Message);
        Assert.Equal("Third", third.Title);
    }

    [Fact]
    public async Task A_meeting_nobody_has_been_in_for_the_idle_time_is_ended_and_an_occupied_one_is_not()
    {
        using var harness = new Harness(("IdleMeetingEndMinutes", "30"));
        var lifecycle = harness.Services.GetRequiredService<MeetingLifecycleService>();
        var empty = await harness.CreateMeetingAsync("Left behind");
        var (visitor, _) = await harness.JoinAsync(empty, "Ana");
        var occupied = await harness.CreateMeetingAsync("Still in use");
        await harness.JoinAsync(occupied, "Ben");
        await harness.Meetings.LeaveAsync(visitor);

        harness.Time.Advance(TimeSpan.FromMinutes(20));
        await lifecycle.SweepAsync();
        var stillOpen = await harness.MeetingStore.GetAsync(empty.MeetingId);
        harness.Time.Advance(TimeSpan.FromMinutes(11));
        await lifecycle.SweepAsync();

        Assert.False(stillOpen!.HasEnded);
        Assert.True((await harness.MeetingStore.GetAsync(empty.MeetingId))!.HasEnded);
        Assert.False((await harness.MeetingStore.GetAsync(occupied.MeetingId))!.HasEnded);
        Assert.Single(harness.Notifier.Events, e => e.Event == "ended" && e.MeetingId == empty.MeetingId);
        var join = await Assert.ThrowsAsync<ConferencingException>(() => harness.JoinAsync(empty, "Late"));
        Assert.Equal(ConferencingError.Conflict, join.Error);
    }

    [Fact]
    public async Task An_ended_meeting_is_evicted_from_every_in_memory_store_after_its_retention()
    {
        using var harness = new Harness(("EndedMeetingRetentionHours", "24"));
        var lifecycle = harness.Services.GetRequiredService<MeetingLifecycleService>();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, join) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        await harness.Chat.SendAsync(moderator, new SendChatRequest("m1", "minutes"));
        await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Adjourn?", ["Yes", "No"]));
        await harness.Meetings.EndAsync(moderator);
        await harness.Meetings.LeaveAsync(moderator);

        harness.Time.Advance(TimeSpan.FromHours(23));
        await lifecycle.SweepAsync();
        var kept = await harness.Export.GetRecordAsync(meeting.MeetingId, meeting.ModeratorKey);
        harness.Time.Advance(TimeSpan.FromHours(2));
        await lifecycle.SweepAsync();

        Assert.Equal(["minutes"], kept.Chat.Select(m => m.Text));
        Assert.Null(await harness.MeetingStore.GetAsync(meeting.MeetingId));
        Assert.Null(await harness.MeetingStore.GetParticipantAsync(meeting.MeetingId, join.ParticipantId));
        Assert.Equal(0, await harness.ChatStore.GetLastSequenceAsync(meeting.MeetingId));
        Assert.Empty(await harness.PollStore.ListAsync(meeting.MeetingId));
        var export = await Assert.ThrowsAsync<ConferencingException>(() => harness.Export.GetRecordAsync(meeting.MeetingId, meeting.ModeratorKey));
        Assert.Equal(ConferencingError.NotFound, export.Error);
    }
}
