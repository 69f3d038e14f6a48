using Collab.Conferencing.Limits;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

public sealed class ChatServiceTests
{
    [Fact]
    public async Task Messages_get_strictly_increasing_sequences_and_a_resend_is_not_duplicated()
    {
        using var harness = new Harness(("ChatBurst", "100"));
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        var (ben, _) = await harness.JoinAsync(meeting, "Ben");

        var first = await harness.Chat.SendAsync(ana, new SendChatRequest("a-1", "hello"));
        var second = await harness.Chat.SendAsync(ben, new SendChatRequest("a-1", "same client id, other participant"));
        var resend = await harness.Chat.SendAsync(ana, new SendChatRequest("a-1", "hello"));

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first, resend);
        Assert.Equal([1L, 2L], harness.Notifier.Of<ChatMessage>("chat").Select(m => m.Sequence));
    }

    [Fact]
    public async Task Text_over_the_limit_is_refused_with_its_length_and_the_limit()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.SendAsync(ana, new SendChatRequest("m1", new string('x', 2_001))));
        var accepted = await harness.Chat.SendAsync(ana, new SendChatRequest("m2", new string('x', 2_000)));

        Assert.Equal(ConferencingError.InvalidInput, error.Error);
        Assert.Equal("Chat text is 2001 characters; the limit is 2000.", error.Message);
        Assert.Equal(1, accepted.Sequence);
    }

    [Theory]
    [InlineData(null, "text")]
    [InlineData("has space", "text")]
    [InlineData("ok", "")]
    [InlineData("ok", "bell\u0007")]
    public async Task Malformed_sends_are_refused_as_invalid_input(string? clientMessageId, string text)
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.SendAsync(ana, new SendChatRequest(clientMessageId, text)));

        Assert.Equal(ConferencingError.InvalidInput, error.Error);
    }

    [Fact]
    public async Task Catch_up_returns_exactly_the_messages_after_the_last_seen_sequence_and_history_pages_backwards()
    {
        using var harness = new Harness(("ChatBurst", "100"));
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        for (var i = 1; i <= 25; i++)
        {
            await harness.Chat.SendAsync(ana, new SendChatRequest($"m{i}", $"message {i}"));
        }

        var missed = await harness.Chat.GetSinceAsync(ana, 17, 5);
        var rest = await harness.Chat.GetSinceAsync(ana, missed.Messages[^1].Sequence, 5);
        var newest = await harness.Chat.GetHistoryAsync(ana, null, 10);
        var older = await harness.Chat.GetHistoryAsync(ana, newest.Messages[0].Sequence, 10);

        Assert.Equal([18L, 19, 20, 21, 22], missed.Messages.Select(m => m.Sequence));
        Assert.True(missed.HasMore);
        Assert.Equal([23L, 24, 25], rest.Messages.Select(m => m.Sequence));
        Assert.False(rest.HasMore);
        Assert.Equal(25, rest.LastSequence);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), newest.Messages.Select(m => m.Sequence));
        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), older.Messages.Select(m => m.Sequence));
        Assert.True(older.HasMore);
    }

    [Fact]
    public async Task Retention_keeps_the_newest_messages_and_catch_up_past_it_says_truncated()
    {
        using var harness = new Harness(("ChatRetentionMessages", "10"), ("ChatBurst", "100"));
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");
        for (var i = 1; i <= 15; i++)
        {
            await harness.Chat.SendAsync(ana, new SendChatRequest($"m{i}", $"message {i}"));
        }

        var page = await harness.Chat.GetSinceAsync(ana, 2, 100);

        Assert.True(page.Truncated);
        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), page.Messages.Select(m => m.Sequence));
        Assert.False((await harness.Chat.GetSinceAsync(ana, 5, 100)).Truncated);
    }

    [Fact]
    public async Task Page_size_outside_the_allowed_range_is_refused()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (ana, _) = await harness.JoinAsync(meeting, "Ana");

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.GetSinceAsync(ana, 0, 10_000));

        Assert.Contains("limit must be between 1 and 200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limiter_allows_a_burst_then_refuses_until_tokens_refill_and_a_rejoin_keeps_the_bucket()
    {
        using var harness = new Harness(("ChatMessagesPerSecond", "2"), ("ChatBurst", "3"));
        var meeting = await harness.CreateMeetingAsync();
        var (first, join) = await harness.JoinAsync(meeting, "Ana");
        var ana = harness.Registry.Require(first);
        var ben = harness.Registry.Require((await harness.JoinAsync(meeting, "Ben")).ConnectionId);

        for (var i = 0; i < 3; i++)
        {
            await harness.RateLimiter.AcquireAsync(ana, RateLimitKind.Chat);
        }

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.RateLimiter.AcquireAsync(ana, RateLimitKind.Chat).AsTask());
        await harness.RateLimiter.AcquireAsync(ben, RateLimitKind.Chat);
        await harness.RateLimiter.AcquireAsync(ana, RateLimitKind.Vote);

        // Leaving and rejoining (with the resume token) is the same participant: the same, still empty bucket.
        await harness.Meetings.LeaveAsync(first);
        var again = harness.NewConnectionId();
        await harness.Meetings.JoinAsync(again, new JoinRequest(meeting.MeetingId, null, ResumeToken: join.ResumeToken));
        var rejoined = await Assert.ThrowsAsync<ConferencingException>(() => harness.RateLimiter.AcquireAsync(harness.Registry.Require(again), RateLimitKind.Chat).AsTask());

        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        await harness.RateLimiter.AcquireAsync(harness.Registry.Require(again), RateLimitKind.Chat);

        Assert.Equal(ConferencingError.RateLimited, error.Error);
        Assert.Equal("Too many chat messages: at most 2 per second (bursts of 3); retry in 500 ms.", error.Message);
        Assert.Equal(ConferencingError.RateLimited, rejoined.Error);
    }

    [Fact]
    public async Task A_meeting_created_without_chat_refuses_messages_but_runs_polls()
    {
        using var harness = new Harness();
        var meeting = await harness.Meetings.CreateAsync(new CreateMeetingRequest("Ballot only", new MeetingSettings(ChatEnabled: false)));
        var (moderator, join) = await harness.JoinAsync(meeting, "Chair", moderator: true);

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.SendAsync(moderator, new SendChatRequest("m1", "hello")));
        var poll = await harness.Polls.CreateAsync(moderator, new CreatePollRequest("Q?", ["A", "B"]));

        Assert.False(meeting.Settings.ChatEnabled);
        Assert.False(join.Meeting.Settings.ChatEnabled);
        Assert.Equal(ConferencingError.Conflict, error.Error);
        Assert.Equal("Chat is turned off for this meeting.", error.Message);
        Assert.Equal(PollState.Draft, poll.State);
    }
}
