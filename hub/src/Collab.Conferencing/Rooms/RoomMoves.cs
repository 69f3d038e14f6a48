using Collab.Conferencing.Audio;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Rooms;

/// <summary>
/// Moves this node's connections of participants to the room the store says they are in: the session's room (which
/// every scoped call reads: chat, floor, voice), the connection's scope group, its audio listener, and the floor it
/// held in the room it left; then tells the connection (<c>RoomChanged</c>). Joining puts a connection in its scope
/// group; leaving takes it out.
/// </summary>
public sealed class RoomMoves(ConnectionRegistry registry, IRoomStore store, IRoomNotifier notifier, AudioRelay audio, FloorService floor, IChatStore chat) : IMembershipObserver
{
    /// <summary>Applies the participants' current rooms (read from the store once, when any of them is connected here).</summary>
    public async Task ApplyAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken = default)
    {
        var local = participantIds.Where(id => registry.HasConnection(meetingId, id)).ToList();
        if (local.Count == 0)
        {
            return;
        }

        var state = await store.GetAsync(meetingId, cancellationToken);
        foreach (var participantId in local)
        {
            var roomId = state.Where.TryGetValue(participantId, out var place) ? place.RoomId : null;
            Session? left = null;
            foreach (var session in registry.ConnectionsOf(meetingId, participantId))
            {
                if (session.RoomId == roomId)
                {
                    continue;
                }

                var moved = session with { RoomId = roomId };
                if (!registry.Replace(moved))
                {
                    continue; // the connection went away meanwhile
                }

                await notifier.LeaveScopeAsync(session.ConnectionId, session.ScopeId, cancellationToken);
                await notifier.EnterScopeAsync(moved.ConnectionId, moved.ScopeId, cancellationToken);
                await audio.MovedAsync(session, moved, cancellationToken);
                left ??= session;
                var last = await chat.GetLastSequenceAsync(moved.ScopeId, cancellationToken);
                await notifier.RoomChangedAsync(moved.ConnectionId, new RoomLocationView(roomId, roomId is null ? null : state.Find(roomId)?.Name, reason, last), cancellationToken);
            }

            if (left is not null)
            {
                // The floor (or a request for it) belongs to the room; it is given back there.
                await floor.LeftAsync(left, participantGone: true, cancellationToken);
            }
        }
    }

    public Task JoinedAsync(Session session, CancellationToken cancellationToken = default) =>
        notifier.EnterScopeAsync(session.ConnectionId, session.ScopeId, cancellationToken);

    public Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default) =>
        notifier.LeaveScopeAsync(session.ConnectionId, session.ScopeId, cancellationToken);
}
