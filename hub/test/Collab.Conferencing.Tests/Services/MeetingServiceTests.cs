using Collab.Conferencing.Identity;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Services;

public sealed class MeetingServiceTests
{
    [Fact]
    public async Task Created_meeting_has_a_short_typeable_join_code_and_a_long_moderator_key()
    {
        using var harness = new Harness();

        var meeting = await harness.CreateMeetingAsync("  Budget consultation ");

        Assert.Equal("Budget consultation", meeting.Title);
        Assert.Equal(SecretCodes.JoinCodeLength, meeting.JoinCode.Length);
        Assert.All(meeting.JoinCode, c => Assert.True(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)));
        Assert.True(meeting.ModeratorKey.Length >= 40);
        Assert.NotEqual(meeting.MeetingId, (await harness.CreateMeetingAsync()).MeetingId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Meeting_without_a_title_is_refused(string? title)
    {
        using var harness = new Harness();

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.CreateAsync(new CreateMeetingRequest(title)));

        Assert.Equal(ConferencingError.InvalidInput, error.Error);
        Assert.Contains("Title", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_code_makes_a_participant_and_moderator_key_a_moderator()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();

        var (_, moderator) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var participant = await harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode.ToLowerInvariant().Insert(4, "-")));

        Assert.Equal(ParticipantRole.Moderator, moderator.Role);
        Assert.Equal(ParticipantRole.Participant, participant.Role);
        Assert.Equal(["Ana", "Chair"], participant.Participants.Select(p => p.DisplayName));
        Assert.Single(harness.Notifier.Of<ParticipantView>("joined"), p => p.DisplayName == "Ana");
    }

    [Fact]
    public async Task Repeated_wrong_join_codes_are_throttled_for_that_meeting_but_moderator_key_still_works()
    {
        using var harness = new Harness(("WrongJoinCodeLimit", "3"), ("WrongJoinCodeWindowSeconds", "60"));
        var meeting = await harness.CreateMeetingAsync();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var wrong = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, "Eve", JoinCode: "WRONGCOD")));
            Assert.Equal(ConferencingError.Forbidden, wrong.Error);
        }

        var throttled = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, "Ana", JoinCode: meeting.JoinCode)));
        Assert.Equal(ConferencingError.RateLimited, throttled.Error);
        Assert.Contains("wrong join codes", throttled.Message, StringComparison.Ordinal);
        await harness.JoinAsync(meeting, "Chair", moderator: true);

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        var (_, joined) = await harness.JoinAsync(meeting, "Ana");
        Assert.Equal(ParticipantRole.Participant, joined.Role);
    }

    [Fact]
    public async Task Resume_token_restores_the_same_participant_role_and_ballots_on_a_new_connection()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderatorConnection, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (connection, first) = await harness.JoinAsync(meeting, "Ana");
        var poll = await harness.Polls.CreateAsync(moderatorConnection, new CreatePollRequest("Lunch?", ["Yes", "No"]));
        await harness.Polls.OpenAsync(moderatorConnection, poll.PollId);
        await harness.Polls.VoteAsync(connection, new VoteRequest(poll.PollId, [1]));
        await harness.Meetings.DisconnectAsync(connection);

        var resumed = await harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, "Someone else", ResumeToken: first.ResumeToken));

        Assert.True(resumed.Resumed);
        Assert.Equal(first.ParticipantId, resumed.ParticipantId);
        Assert.Equal("Ana", resumed.DisplayName);
        Assert.Equal(ParticipantRole.Participant, resumed.Role);
        var ballot = Assert.Single(resumed.MyBallots);
        Assert.Equal(poll.PollId, ballot.PollId);
        Assert.Equal([1], ballot.OptionIndexes);
    }

    [Fact]
    public async Task Tampered_expired_or_foreign_resume_tokens_are_refused()
    {
        using var harness = new Harness(("ResumeTokenLifetimeHours", "1"));
        var meeting = await harness.CreateMeetingAsync();
        var other = await harness.CreateMeetingAsync("Other");
        var (_, joined) = await harness.JoinAsync(meeting, "Ana");
        var parts = joined.ResumeToken.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{SecretCodes.Base64Url(new byte[32])}";

        foreach (var (meetingId, token) in new[] { (meeting.MeetingId, tampered), (other.MeetingId, joined.ResumeToken), (meeting.MeetingId, "garbage") })
        {
            var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meetingId, "Ana", ResumeToken: token)));
            Assert.Equal(ConferencingError.Forbidden, error.Error);
        }

        harness.Time.Advance(TimeSpan.FromHours(2));
        var expired = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(harness.NewConnectionId(), new JoinRequest(meeting.MeetingId, "Ana", ResumeToken: joined.ResumeToken)));
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ended_meeting_refuses_joins_and_chat()
    {
        using var harness = new Harness();
        var meeting = await harness.CreateMeetingAsync();
        var (moderator, _) = await harness.JoinAsync(meeting, "Chair", moderator: true);
        var (participant, _) = await harness.JoinAsync(meeting, "Ana");

        var ended = await harness.Meetings.EndAsync(moderator);
        Assert.True(ended.Ended);
        Assert.Single(harness.Notifier.Events, e => e.Event == "ended" && e.MeetingId == meeting.MeetingId);
        var join = await Assert.ThrowsAsync<ConferencingException>(() => harness.JoinAsync(meeting, "Late"));
        Assert.Equal(ConferencingError.Conflict, join.Error);
        var send = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.SendAsync(participant, new SendChatRequest("m1", "hello?")));
        Assert.Contains("ended", send.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_acts_only_in_the_meeting_it_joined()
    {
        using var harness = new Harness();
        var first = await harness.CreateMeetingAsync("First");
        var second = await harness.CreateMeetingAsync("Second");
        var (connection, _) = await harness.JoinAsync(first, "Ana");

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Meetings.JoinAsync(connection, new JoinRequest(second.MeetingId, "Ana", JoinCode: second.JoinCode)));
        await harness.Chat.SendAsync(connection, new SendChatRequest("m1", "only for the first meeting"));

        Assert.Equal(ConferencingError.Conflict, error.Error);
        Assert.All(harness.Notifier.Events.Where(e => e.Event == "chat"), e => Assert.Equal(first.MeetingId, e.MeetingId));
    }

    [Fact]
    public async Task Calls_before_joining_are_refused_as_not_joined()
    {
        using var harness = new Harness();

        var error = await Assert.ThrowsAsync<ConferencingException>(() => harness.Chat.SendAsync("nobody", new SendChatRequest("m1", "hi")));

        Assert.Equal(ConferencingError.NotJoined, error.Error);
        Assert.Equal("not_joined", error.Code);
    }
}
