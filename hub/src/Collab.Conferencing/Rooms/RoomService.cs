using Collab.Conferencing.Audio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Rooms;

/// <summary>
/// Discussion rooms. Moderators create rooms (names, an optional assignment, an optional timer), close them and
/// broadcast to all of them; in a self-organised meeting participants create open rooms and move freely. A move is
/// stored first (so a reconnect on any node comes back to the same room), then applied to this node's connections and
/// signalled to the other nodes. The caller always acts in the room it is in: chat, floor and voice take the scope
/// from the session, never from an argument; the room ids this service takes are checked against the caller's meeting.
/// </summary>
public sealed partial class RoomService(
    ConnectionRegistry registry,
    IRoomStore store,
    RoomMoves moves,
    IRoomSignals signals,
    RoomsPushCoalescer pushes,
    IRoomNotifier notifier,
    Pushes.MeetingPushes chatPushes,
    Pushes.BestEffortPushes bestEffort,
    IChatStore chat,
    IMeetingStore meetings,
    MeetingGuard guard,
    IOptions<RoomOptions> options,
    IOptions<ConferencingOptions> conferencing,
    TimeProvider time,
    ILogger<RoomService> logger) : IMeetingEndObserver
{
    public async Task<RoomsView> GetAsync(string connectionId, CancellationToken cancellationToken = default) =>
        (await store.GetAsync(registry.Require(connectionId).MeetingId, cancellationToken)).ToView();

    /// <summary>Where a participant joining (or rejoining, on any node) is: null for the main room.</summary>
    public Task<string?> LocateAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        store.LocateAsync(meetingId, participantId, cancellationToken);

    /// <summary>The joining connection's room for its join result (null in the main room).</summary>
    public async Task<RoomLocationView?> LocationForJoinAsync(Session session, CancellationToken cancellationToken = default)
    {
        if (session.RoomId is not { } roomId)
        {
            return null;
        }

        var state = await store.GetAsync(session.MeetingId, cancellationToken);
        return new RoomLocationView(roomId, state.Find(roomId)?.Name, RoomMoveReason.Joined, await chat.GetLastSequenceAsync(session.ScopeId, cancellationToken));
    }

    public async Task<RoomsView> CreateAsync(string connectionId, CreateRoomsRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId).RequireModerator("create rooms");
        var limits = options.Value;
        if (request?.Rooms is not { Count: > 0 } rooms || rooms.Count > limits.MaxRoomsPerRequest)
        {
            throw ConferencingException.Invalid($"Give 1 to {limits.MaxRoomsPerRequest} rooms, each with a name.");
        }

        if (request.TimerSeconds is < 1 || request.TimerSeconds > limits.MaxTimerSeconds)
        {
            throw ConferencingException.Invalid($"timerSeconds must be between 1 and {limits.MaxTimerSeconds}; it was {request.TimerSeconds}.");
        }

        var now = Now();
        long? closesAt = request.TimerSeconds is { } seconds ? now + (seconds * 1000L) : null;
        var assignedAnywhere = new HashSet<string>(StringComparer.Ordinal);
        var drafts = new List<RoomDraft>();
        foreach (var room in rooms)
        {
            var name = Inputs.Text(room?.Name, "Room name", limits.MaxRoomNameLength);
            var assigned = new List<RoomMemberView>();
            foreach (var id in room?.ParticipantIds ?? [])
            {
                var participantId = Inputs.Id(id, "participantIds");
                if (!assignedAnywhere.Add(participantId))
                {
                    throw ConferencingException.Invalid($"Participant '{participantId}' is assigned twice; assign each participant to one room.");
                }

                await guard.EnsureParticipantAsync(session, participantId, "participantIds", cancellationToken);
                var participant = await meetings.GetParticipantAsync(session.MeetingId, participantId, cancellationToken);
                assigned.Add(new RoomMemberView(participantId, participant?.DisplayName ?? participantId));
            }

            drafts.Add(new RoomDraft(name, Open: false, session.ParticipantId, now, closesAt, assigned));
        }

        _ = await store.CreateAsync(session.MeetingId, drafts, limits.MaxRoomsPerMeeting, cancellationToken) ?? throw TooMany();
        if (assignedAnywhere.Count > 0)
        {
            await MovedAsync(session.MeetingId, [.. assignedAnywhere], RoomMoveReason.Assigned, cancellationToken);
        }

        pushes.Changed(session.MeetingId);
        RoomsCreated(logger, drafts.Count, session.MeetingId);
        return (await store.GetAsync(session.MeetingId, cancellationToken)).ToView();
    }

    /// <summary>A participant (in a self-organised meeting) or a moderator opens a room and goes into it.</summary>
    public async Task<RoomLocationView> CreateOpenAsync(string connectionId, CreateOpenRoomRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var name = Inputs.Text(request?.Name, "Room name", options.Value.MaxRoomNameLength);
        var state = await store.GetAsync(session.MeetingId, cancellationToken);
        if (!session.IsModerator && !state.Settings.SelfOrganised)
        {
            throw ConferencingException.Forbidden("The moderator has not let participants create rooms in this meeting.");
        }

        var draft = new RoomDraft(name, Open: true, session.ParticipantId, Now(), null, []);
        var created = await store.CreateAsync(session.MeetingId, [draft], options.Value.MaxRoomsPerMeeting, cancellationToken) ?? throw TooMany();
        return await MoveAsync(session, created[0].RoomId, cancellationToken);
    }

    public async Task<RoomLocationView> JoinAsync(string connectionId, string? roomId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(roomId, "roomId");
        var state = await store.GetAsync(session.MeetingId, cancellationToken);
        var room = RequireOpen(state, id);
        if (!session.IsModerator && !state.Settings.SelfOrganised && !room.Assigned.Contains(session.ParticipantId))
        {
            throw ConferencingException.Forbidden("In this meeting the moderator assigns rooms: you may enter only the room you were assigned to.");
        }

        return await MoveAsync(session, id, cancellationToken);
    }

    public async Task<RoomLocationView> ReturnToMainAsync(string connectionId, CancellationToken cancellationToken = default) =>
        await MoveAsync(registry.Require(connectionId), null, cancellationToken);

    public async Task<RoomsView> CloseAsync(string connectionId, string? roomId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId).RequireModerator("close a room");
        var id = Inputs.Id(roomId, "roomId");
        _ = await CloseCoreAsync(session.MeetingId, id, RoomMoveReason.Closed, cancellationToken) ?? throw NoSuchRoom(id);
        return (await store.GetAsync(session.MeetingId, cancellationToken)).ToView();
    }

    /// <summary>A room's timer ran out (claimed by this node): it closes and everyone in it returns to the main room.</summary>
    public async Task CloseDueAsync(DueRoom due, CancellationToken cancellationToken = default) =>
        await CloseCoreAsync(due.MeetingId, due.RoomId, RoomMoveReason.TimerEnded, cancellationToken);

    public async Task<RoomsView> SetSettingsAsync(string connectionId, RoomSettings? settings, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId).RequireModerator("change the room settings");
        if (settings is null)
        {
            throw ConferencingException.Invalid("Give the room settings (selfOrganised).");
        }

        var state = await store.SetSettingsAsync(session.MeetingId, settings, cancellationToken);
        pushes.Changed(session.MeetingId);
        return state.ToView();
    }

    /// <summary>
    /// A moderator's message to everyone, wherever they are: stored in the main chat and each open room's chat (so it is
    /// caught up after a reconnect and exported, exactly once per room under the client message id), and pushed as
    /// <c>RoomBroadcast</c> to the whole meeting.
    /// </summary>
    public async Task<RoomBroadcastView> BroadcastAsync(string connectionId, BroadcastToRoomsRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId).RequireModerator("broadcast to the rooms");
        var clientMessageId = Inputs.Id(request?.ClientMessageId, "clientMessageId");
        var text = Inputs.Text(request?.Text, "Broadcast text", conferencing.Value.MaxChatMessageLength, multiline: true);
        var meeting = await meetings.RequireActiveMeetingAsync(session.MeetingId, cancellationToken);
        var state = await store.GetAsync(session.MeetingId, cancellationToken);
        var open = state.Rooms.Where(room => !room.Closed).ToList();
        var now = Now();
        if (meeting.ChatEnabled)
        {
            foreach (var scope in open.Select(room => RoomScopes.Of(session.MeetingId, room.RoomId)).Prepend(session.MeetingId))
            {
                var result = await chat.AppendAsync(scope, new ChatDraft(clientMessageId, session.ParticipantId, session.DisplayName, text, now), cancellationToken);
                if (!result.Duplicate)
                {
                    await chatPushes.ChatMessageAsync(scope, result.Message, cancellationToken: cancellationToken);
                }
            }
        }

        var broadcast = new RoomBroadcastView(session.ParticipantId, session.DisplayName, text, now, open.Count);
        await bestEffort.RunAsync("room broadcast", session.MeetingId, () => notifier.RoomBroadcastAsync(session.MeetingId, broadcast, cancellationToken), cancellationToken);
        return broadcast;
    }

    /// <summary>A removed participant is in no room any more (the rooms list stops naming them).</summary>
    public async Task ForgetAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        if ((await store.MoveAsync(meetingId, participantId, string.Empty, null, cancellationToken)).Outcome == RoomMoveOutcome.Moved)
        {
            pushes.Changed(meetingId);
        }
    }

    /// <summary>An ended meeting's rooms stay for the export as long as the rest of it.</summary>
    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) =>
        store.ExpireAsync(meetingId, TimeSpan.FromHours(conferencing.Value.EndedMeetingRetentionHours), cancellationToken);

    private async Task<RoomLocationView> MoveAsync(Session session, string? roomId, CancellationToken cancellationToken)
    {
        var result = await store.MoveAsync(session.MeetingId, session.ParticipantId, session.DisplayName, roomId, cancellationToken);
        var reason = roomId is null ? RoomMoveReason.Left : RoomMoveReason.Joined;
        switch (result.Outcome)
        {
            case RoomMoveOutcome.NoSuchRoom:
                throw NoSuchRoom(roomId!);
            case RoomMoveOutcome.RoomClosed:
                throw Closed(roomId!);
            case RoomMoveOutcome.Moved:
                await MovedAsync(session.MeetingId, [session.ParticipantId], reason, cancellationToken);
                pushes.Changed(session.MeetingId);
                break;
            case RoomMoveOutcome.Unchanged:
            default:
                // Already there in the store; make sure this node's connections agree.
                await moves.ApplyAsync(session.MeetingId, [session.ParticipantId], reason, cancellationToken);
                break;
        }

        var name = roomId is null ? null : (await store.GetAsync(session.MeetingId, cancellationToken)).Find(roomId)?.Name;
        return new RoomLocationView(roomId, name, reason, await chat.GetLastSequenceAsync(RoomScopes.Of(session.MeetingId, roomId), cancellationToken));
    }

    private async Task<RoomCloseResult?> CloseCoreAsync(string meetingId, string roomId, RoomMoveReason reason, CancellationToken cancellationToken)
    {
        var result = await store.CloseAsync(meetingId, roomId, Now(), cancellationToken);
        if (result is null || result.AlreadyClosed)
        {
            return result;
        }

        await MovedAsync(meetingId, result.Returned, reason, cancellationToken);
        pushes.Changed(meetingId);
        RoomClosed(logger, roomId, meetingId, result.Returned.Count, reason.ToString());
        return result;
    }

    /// <summary>Applies a stored move here, then tells the other nodes.</summary>
    private async Task MovedAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken)
    {
        await moves.ApplyAsync(meetingId, participantIds, reason, cancellationToken);
        await signals.PublishMovedAsync(meetingId, participantIds, reason, cancellationToken);
    }

    private static RoomRecord RequireOpen(RoomsState state, string roomId)
    {
        var room = state.Find(roomId) ?? throw NoSuchRoom(roomId);
        return room.Closed ? throw Closed(room.Name) : room;
    }

    private static ConferencingException NoSuchRoom(string roomId) => ConferencingException.NotFound($"No room '{roomId}' in this meeting.");

    private static ConferencingException Closed(string room) => ConferencingException.Conflict($"The room '{room}' is closed; everyone in it went back to the main room.");

    private ConferencingException TooMany() =>
        ConferencingException.Conflict($"A meeting may have at most {options.Value.MaxRoomsPerMeeting} open rooms; close one first.");

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "{Count} rooms created in meeting {MeetingId}")]
    private static partial void RoomsCreated(ILogger logger, int count, string meetingId);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "Room {RoomId} of meeting {MeetingId} closed ({Reason}); {Returned} back in the main room")]
    private static partial void RoomClosed(ILogger logger, string roomId, string meetingId, int returned, string reason);
}
