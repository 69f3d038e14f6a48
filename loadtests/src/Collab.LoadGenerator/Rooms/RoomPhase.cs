using Collab.Conferencing.Client;
using Collab.Conferencing.Rooms;
using Collab.LoadGenerator.Scenarios;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Rooms;

/// <summary>
/// roundtable's discussion rooms: for the middle third of the run the moderator splits the participants who neither
/// speak nor are sampled listeners into rooms of about six (at most 20 rooms), they go on chatting there, and then the
/// moderator closes every room and they are back in the main room. Chat is held back around each move, so every
/// message lands in the chat its client message id names; the results count room chat like main chat. Bounded: each
/// wait gives up after 15 s.
/// </summary>
internal sealed class RoomPhase(ScenarioSettings settings, RunStatistics stats, Action<string> progress)
{
    private const int MembersPerRoom = 6;
    private const int MaxRooms = 20;
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(15);

    public async Task RunAsync(VirtualParticipant moderator, IReadOnlyList<VirtualParticipant> crowd, CancellationToken stop)
    {
        var sampled = settings.Speakers == 0 ? 0 : settings.DecodingListeners;
        var members = crowd.Skip(settings.Speakers + sampled).ToList();
        if (members.Count < 2)
        {
            return;
        }

        var roomCount = Math.Clamp(members.Count / MembersPerRoom, 1, MaxRooms);
        var groups = Enumerable.Range(0, roomCount).Select(room => members.Where((_, i) => i % roomCount == room).ToList()).ToList();
        List<string> open = [];
        try
        {
            await Task.Delay(settings.Duration / 3, stop);
            await MoveAsync(members, async () =>
            {
                var request = new CreateRoomsRequest([.. groups.Select((group, room) => new RoomRequest($"Room {room + 1}", [.. group.Select(p => p.ParticipantId)]))]);
                var view = await moderator.Connection.CreateRoomsAsync(request, stop);
                for (var room = 0; room < roomCount; room++)
                {
                    var created = view.Rooms.Single(r => r.Name == $"Room {room + 1}");
                    stats.Rooms.Assigned(created.RoomId, [.. groups[room].Select(p => p.Index)]);
                    open.Add(created.RoomId);
                }
            }, inRoom: true);
            progress($"{roomCount} discussion rooms opened for {members.Count} participants; they chat there");
            await Task.Delay(settings.Duration / 3, stop);
        }
        catch (OperationCanceledException)
        {
            // The run ended first: the rooms still close, so everyone is back in the main room for the final catch-up.
        }
        finally
        {
            if (open.Count > 0)
            {
                await MoveAsync(members, async () =>
                {
                    foreach (var roomId in open)
                    {
                        await moderator.Connection.CloseRoomAsync(roomId, CancellationToken.None);
                    }
                }, inRoom: false);
                progress("discussion rooms closed: everyone is back in the main room");
            }
        }
    }

    /// <summary>Holds the members' chat, waits for what is in flight, moves them (<paramref name="move"/>), waits until each is where it should be.</summary>
    private static async Task MoveAsync(List<VirtualParticipant> members, Func<Task> move, bool inRoom)
    {
        foreach (var member in members)
        {
            member.ExpectMove();
        }

        try
        {
            await UntilAsync(() => members.All(m => m.Quiet));
            await move();
            await UntilAsync(() => members.All(m => (m.RoomId is not null) == inRoom));
        }
        finally
        {
            foreach (var member in members)
            {
                member.MoveSettled();
            }
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
