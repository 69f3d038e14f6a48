
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Chat_append_to_an_open_meeting_reads_the_meeting_state_in_the_same_step()
    {
        var stores = await CreateStoresAsync();
        await stores.Meetings.CreateAsync(new Meeting("open", "Town hall", "ABCDEFGH", "HASH", 1_000), Ct);
        await stores.Meetings.CreateAsync(new Meeting("quiet", "Vote", "JKLMNPQR", "HASH2", 1_000, ChatEnabled: false), Ct);
        await stores.Meetings.CreateAsync(new Meeting("over", "Done", "STUVWXYZ", "HASH3", 1_000), Ct);
        await stores.Meetings.EndAsync("over", 2_000, Ct);

        var appended = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p1", "hello"), null, Ct);
        var resent = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p1", "hello"), null, Ct);
        var inRoom = await stores.Chat.AppendToOpenMeetingAsync("open", Rooms.RoomScopes.Of("open", "r1"), Draft("c2", "p1", "in the room"), null, Ct);
        var missing = await stores.Chat.AppendToOpenMeetingAsync("nowhere", "nowhere", Draft("c1", "p1", "x"), null, Ct);
        var chatOff = await stores.Chat.AppendToOpenMeetingAsync("quiet", "quiet", Draft("c1", "p1", "x"), null, Ct);
        var ended = await stores.Chat.AppendToOpenMeetingAsync("over", "over", Draft("c1", "p1", "x"), null, Ct);

        Assert.Equal(ChatAppendRefusal.None, appended.Refusal);
        Assert.Equal(1, appended.Appended!.Message.Sequence);
        Assert.False(appended.Appended.Duplicate);
        Assert.True(resent.Appended!.Duplicate);
        Assert.Equal(1, resent.Appended.Message.Sequence);
        Assert.Equal(1, inRoom.Appended!.Message.Sequence); // the room's own chat
        Assert.Equal((null, ChatAppendRefusal.NoMeeting), (missing.Appended, missing.Refusal));
        Assert.Equal((null, ChatAppendRefusal.ChatOff), (chatOff.Appended, chatOff.Refusal));
        Assert.Equal((null, ChatAppendRefusal.Ended), (ended.Appended, ended.Refusal));
        Assert.Equal(0, await stores.Chat.GetLastSequenceAsync("over", Ct)); // refused: nothing appended
        Assert.Equal(1, await stores.Chat.GetLastSequenceAsync("open", Ct));
    }

    [Fact]
    public async Task A_charged_append_takes_the_senders_token_in_the_same_step_from_the_shared_bucket()
    {
        var stores = await CreateStoresAsync();
        await stores.Meetings.CreateAsync(new Meeting("open", "Town hall", "ABCDEFGH", "HASH", 1_000), Ct);
        await stores.Meetings.CreateAsync(new Meeting("over", "Done", "STUVWXYZ", "HASH3", 1_000), Ct);
        await stores.Meetings.EndAsync("over", 2_000, Ct);
        var ana = new Limits.RateLimitCharge("open", "p1", Limits.RateLimitKind.Chat, 0.5, 2);

        var first = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p1", "one"), ana, Ct);
        var second = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c2", "p1", "two"), ana, Ct);
        var third = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c3", "p1", "three"), ana, Ct);
        var ben = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p2", "ben's own bucket"), ana with { ParticipantId = "p2" }, Ct);
        var afterEnd = await stores.Chat.AppendToOpenMeetingAsync("over", "over", Draft("c1", "p1", "x"), ana with { MeetingId = "over" }, Ct);

        Assert.Equal([ChatAppendRefusal.None, ChatAppendRefusal.None], new[] { first.Refusal, second.Refusal });
        Assert.Equal((null, ChatAppendRefusal.RateLimited), (third.Appended, third.Refusal));
        Assert.InRange(third.RetryAfter, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2));
        Assert.Equal(3, await stores.Chat.GetLastSequenceAsync("open", Ct)); // one, two and ben's: the refused one appended nothing
        Assert.Equal(ChatAppendRefusal.None, ben.Refusal);
        // The bucket is the rate-limit store's own: the next plain take finds it empty too.
        Assert.False((await stores.RateLimits.TryTakeAsync("open", "p1", Limits.RateLimitKind.Chat, 0.5, 2, Ct)).Allowed);
        // A refused meeting costs no token: the meeting check comes first.
        Assert.Equal(ChatAppendRefusal.Ended, afterEnd.Refusal);
        Assert.True((await stores.RateLimits.TryTakeAsync("over", "p1", Limits.RateLimitKind.Chat, 0.5, 1, Ct)).Allowed);
    }
}
