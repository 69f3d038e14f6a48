using Collab.Conferencing.Rooms;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests.Stores;

/// <summary>The room store's contract: creation order and limit, moves, closing brings everyone back, timers claimed once; room chats are their own.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>A fresh room store that shares nothing with other tests.</summary>
    protected abstract IRoomStore CreateRoomStore();

    private static RoomDraft RoomDraftOf(string name, long? closesAt = null, params string[] assigned) =>
        new(name, Open: false, "mod", 1_000, closesAt, [.. assigned.Select(id => new RoomMemberView(id, $"Name {id}"))]);

    [Fact]
    public async Task Rooms_are_numbered_in_creation_order_with_their_assignment_and_the_open_room_limit_holds()
    {
        var store = CreateRoomStore();

        var first = await store.CreateAsync("m", [RoomDraftOf("North", null, "p1", "p2"), RoomDraftOf("South", null, "p3")], 3, Ct);
        var tooMany = await store.CreateAsync("m", [RoomDraftOf("East"), RoomDraftOf("West")], 3, Ct);
        var third = await store.CreateAsync("m", [RoomDraftOf("East")], 3, Ct);
        var state = await store.GetAsync("m", Ct);
        var view = state.ToView();

        Assert.Equal(["r1", "r2"], first!.Select(room => room.RoomId));
        Assert.Null(tooMany);
        Assert.Equal("r3", Assert.Single(third!).RoomId);
        Assert.Equal(["North", "South", "East"], view.Rooms.Select(room => room.Name));
        Assert.Equal(["p1", "p2"], view.Rooms[0].Assigned);
        Assert.Equal([new RoomMemberView("p1", "Name p1"), new RoomMemberView("p2", "Name p2")], view.Rooms[0].Members);
        Assert.Equal("r2", await store.LocateAsync("m", "p3", Ct));
        Assert.Null(await store.LocateAsync("m", "p9", Ct));
        Assert.True(state.Version >= 2);
        Assert.Empty((await store.GetAsync("other", Ct)).Rooms);
    }

    [Fact]
    public async Task A_participant_moves_between_open_rooms_of_its_meeting_and_back_to_the_main_room()
    {
        var store = CreateRoomStore();
        await store.CreateAsync("m", [RoomDraftOf("North"), RoomDraftOf("South")], 10, Ct);
        var before = (await store.GetAsync("m", Ct)).Version;

        var into = await store.MoveAsync("m", "p1", "Ana", "r1", Ct);
        var again = await store.MoveAsync("m", "p1", "Ana", "r1", Ct);
        var across = await store.MoveAsync("m", "p1", "Ana", "r2", Ct);
        var unknown = await store.MoveAsync("m", "p1", "Ana", "r9", Ct);
        var foreign = await store.MoveAsync("other", "p1", "Ana", "r1", Ct);
        var located = await store.LocateAsync("m", "p1", Ct);
        var back = await store.MoveAsync("m", "p1", "Ana", null, Ct);
        var backAgain = await store.MoveAsync("m", "p1", "Ana", null, Ct);

        Assert.Equal(new RoomMoveResult(RoomMoveOutcome.Moved, null), into);
        Assert.Equal(new RoomMoveResult(RoomMoveOutcome.Unchanged, "r1"), again);
        Assert.Equal(new RoomMoveResult(RoomMoveOutcome.Moved, "r1"), across);
        Assert.Equal(RoomMoveOutcome.NoSuchRoom, unknown.Outcome);
        Assert.Equal(RoomMoveOutcome.NoSuchRoom, foreign.Outcome);
        Assert.Equal("r2", located);
        Assert.Equal(new RoomMoveResult(RoomMoveOutcome.Moved, "r2"), back);
        Assert.Equal(RoomMoveOutcome.Unchanged, backAgain.Outcome);
        Assert.Null(await store.LocateAsync("m", "p1", Ct));
        Assert.Equal(before + 3, (await store.GetAsync("m", Ct)).Version);
    }

    [Fact]
    public async Task Closing_a_room_returns_everyone_in_it_and_refuses_later_moves_into_it()
    {
        var store = CreateRoomStore();
        await store.CreateAsync("m", [RoomDraftOf("North", null, "p1", "p2"), RoomDraftOf("South", null, "p3")], 2, Ct);

        var closed = await store.CloseAsync("m", "r1", 5_000, Ct);
        var again = await store.CloseAsync("m", "r1", 6_000, Ct);
        var unknown = await store.CloseAsync("m", "r9", 6_000, Ct);
        var moveIn = await store.MoveAsync("m", "p1", "Ana", "r1", Ct);
        var replacement = await store.CreateAsync("m", [RoomDraftOf("West")], 2, Ct);
        var state = await store.GetAsync("m", Ct);

        Assert.Equal(["p1", "p2"], closed!.Returned.Order(StringComparer.Ordinal));
        Assert.False(closed.AlreadyClosed);
        Assert.Equal(5_000, closed.Room.ClosedAtUnixMs);
        Assert.True(again!.AlreadyClosed);
        Assert.Empty(again.Returned);
        Assert.Null(unknown);
        Assert.Equal(RoomMoveOutcome.RoomClosed, moveIn.Outcome);
        Assert.Null(await store.LocateAsync("m", "p1", Ct));
        Assert.Equal("r2", await store.LocateAsync("m", "p3", Ct));
        Assert.NotNull(replacement); // a closed room no longer counts against the limit
        Assert.Equal(["South", "West"], state.ToView().Rooms.Select(room => room.Name));
        Assert.Equal(3, state.Rooms.Count); // the closed room stays for the export
    }

    [Fact]
    public async Task Moves_racing_a_close_leave_nobody_in_the_closed_room()
    {
        var store = CreateRoomStore();
        await store.CreateAsync("m", [RoomDraftOf("North")], 5, Ct);

        var moves = Enumerable.Range(0, 30).Select(i => store.MoveAsync("m", $"p{i}", $"P{i}", "r1", Ct)).ToList();
        var close = store.CloseAsync("m", "r1", 5_000, Ct);
        var results = await Task.WhenAll(moves);
        var closed = await close;

        var movedIn = Enumerable.Range(0, 30).Where(i => results[i].Outcome == RoomMoveOutcome.Moved).Select(i => $"p{i}").Order(StringComparer.Ordinal);
        Assert.Equal(movedIn, closed!.Returned.Order(StringComparer.Ordinal));
        Assert.All(results, result => Assert.Contains(result.Outcome, new[] { RoomMoveOutcome.Moved, RoomMoveOutcome.RoomClosed }));
        Assert.Empty((await store.GetAsync("m", Ct)).Where);
    }

    [Fact]
    public async Task A_timed_room_is_due_once_at_its_closing_time_even_with_concurrent_sweeps()
    {
        var store = CreateRoomStore();
        var meeting = $"m{Guid.NewGuid():N}";
        await store.CreateAsync(meeting, [RoomDraftOf("Timed", closesAt: 10_000), RoomDraftOf("Untimed"), RoomDraftOf("Later", closesAt: 20_000)], 5, Ct);

        var early = (await store.TakeDueAsync(9_999, 100, Ct)).Where(due => due.MeetingId == meeting);
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.TakeDueAsync(10_000, 100, Ct)));
        await store.CloseAsync(meeting, "r3", 15_000, Ct);
        var afterClose = (await store.TakeDueAsync(30_000, 100, Ct)).Where(due => due.MeetingId == meeting);

        Assert.Empty(early);
        Assert.Equal([new DueRoom(meeting, "r1")], sweeps.SelectMany(claimed => claimed).Where(due => due.MeetingId == meeting));
        Assert.Empty(afterClose); // closing a timed room by hand cancels its timer
    }

    [Fact]
    public async Task Room_settings_are_kept_per_meeting()
    {
        var store = CreateRoomStore();

        var set = await store.SetSettingsAsync("m", new RoomSettings(SelfOrganised: true), Ct);

        Assert.True(set.Settings.SelfOrganised);
        Assert.True((await store.GetAsync("m", Ct)).Settings.SelfOrganised);
        Assert.False((await store.GetAsync("other", Ct)).Settings.SelfOrganised);
    }

    [Fact]
    public async Task A_rooms_chat_is_its_own_log_with_its_own_sequences_and_idempotency()
    {
        var chat = (await CreateStoresAsync()).Chat;
        var room = RoomScopes.Of("m", "r1");

        var main = await chat.AppendAsync("m", new ChatDraft("c1", "p1", "Ana", "in the main room", 1), Ct);
        var first = await chat.AppendAsync(room, new ChatDraft("c1", "p1", "Ana", "in the room", 2), Ct);
        var resend = await chat.AppendAsync(room, new ChatDraft("c1", "p1", "Ana", "in the room", 2), Ct);
        var second = await chat.AppendAsync(room, new ChatDraft("c2", "p2", "Ben", "reply", 3), Ct);
        var other = await chat.AppendAsync(RoomScopes.Of("m", "r2"), new ChatDraft("c9", "p3", "Cy", "elsewhere", 4), Ct);
        var roomPage = await chat.GetAfterAsync(room, 0, 10, Ct);
        var mainPage = await chat.GetAfterAsync("m", 0, 10, Ct);

        Assert.Equal(1, main.Message.Sequence);
        Assert.Equal(1, first.Message.Sequence);
        Assert.True(resend.Duplicate);
        Assert.Equal(2, second.Message.Sequence);
        Assert.Equal(1, other.Message.Sequence);
        Assert.Equal(["in the room", "reply"], roomPage.Messages.Select(m => m.Text));
        Assert.Equal(["in the main room"], mainPage.Messages.Select(m => m.Text));
        Assert.Equal(2, await chat.GetLastSequenceAsync(room, Ct));
    }
}
