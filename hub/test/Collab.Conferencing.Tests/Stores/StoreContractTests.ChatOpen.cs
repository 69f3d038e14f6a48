
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

        var appended = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p1", "hello"), Ct);
        var resent = await stores.Chat.AppendToOpenMeetingAsync("open", "open", Draft("c1", "p1", "hello"), Ct);
        var inRoom = await stores.Chat.AppendToOpenMeetingAsync("open", Rooms.RoomScopes.Of("open", "r1"), Draft("c2", "p1", "in the room"), Ct);
        var missing = await stores.Chat.AppendToOpenMeetingAsync("nowhere", "nowhere", Draft("c1", "p1", "x"), Ct);
        var chatOff = await stores.Chat.AppendToOpenMeetingAsync("quiet", "quiet", Draft("c1", "p1", "x"), Ct);
        var ended = await stores.Chat.AppendToOpenMeetingAsync("over", "over", Draft("c1", "p1", "x"), Ct);

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
}
