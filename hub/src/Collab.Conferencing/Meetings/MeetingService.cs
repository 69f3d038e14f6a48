using Collab.Conferencing.Audio;
using Collab.Conferencing.Identity;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Lobby;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Meetings;

/// <summary>Meetings and membership: create, join (code, moderator key or resume token), leave, end.</summary>
public sealed class MeetingService(
    IMeetingStore meetings,
    IChatStore chat,
    PollService polls,
    PresenceService presence,
    ConnectionRegistry registry,
    ResumeTokens tokens,
    JoinCodeThrottle throttle,
    IMeetingNotifier notifier,
    ConferencingMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    IEnumerable<IMembershipObserver> observers,
    MeetingGuard guard,
    IEnumerable<IMeetingEndObserver> endObservers,
    IMeetingLifecycleStore lifecycle,
    LobbyService lobby,
    ILogger<MeetingService> logger,
    Rooms.RoomService rooms,
    FloorCache floors)
{
    public async Task<CreatedMeeting> CreateAsync(CreateMeetingRequest? request, CancellationToken cancellationToken = default)
    {
        var title = Inputs.Text(request?.Title, "Title", options.Value.MaxTitleLength);
        var joinCode = SecretCodes.NewJoinCode();
        var moderatorKey = SecretCodes.NewModeratorKey();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var settings = request?.Settings ?? new MeetingSettings();
            var meeting = new Meeting(SecretCodes.NewMeetingId(), title, joinCode, SecretCodes.HashModeratorKey(moderatorKey), Now(), ChatEnabled: settings.ChatEnabled);
            if (!await lifecycle.TryAddLiveAsync(meeting.Id, meeting.CreatedAtUnixMs, options.Value.MaxLiveMeetings, cancellationToken))
            {
                throw ConferencingException.Unavailable($"This deployment already runs its maximum of {options.Value.MaxLiveMeetings} live meetings; end one or try again later.");
            }

            if (await meetings.CreateAsync(meeting, cancellationToken))
            {
                metrics.MeetingCreated();
                ConferencingLog.MeetingCreated(logger, meeting.Id);
                return new CreatedMeeting(meeting.Id, title, joinCode, moderatorKey, settings);
            }
        }

        throw ConferencingException.Conflict("Could not allocate a meeting id; try again.");
    }

    public async Task<JoinResult> JoinAsync(string connectionId, JoinRequest? request, CancellationToken cancellationToken = default)
    {
        var meetingId = Inputs.Id(request?.MeetingId, "meetingId");
        var previous = registry.Find(connectionId);
        if (previous is not null && previous.MeetingId != meetingId)
        {
            throw ConferencingException.Conflict("This connection already joined another meeting; open a new connection for this one.");
        }

        var meeting = await meetings.RequireActiveMeetingAsync(meetingId, cancellationToken);
        var (participant, resumed, waiting) = await IdentifyAsync(meeting, request!, cancellationToken);
        if (waiting)
        {
            return await lobby.WaitAsync(connectionId, meeting, participant, cancellationToken);
        }

        await lobby.ForgetAsync(connectionId, participant.Id, cancellationToken);
        // Back in the discussion room the participant was in, if any (stored, so on any node).
        var session = new Session(connectionId, meeting.Id, participant.Id, participant.DisplayName, participant.Role)
        {
            RoomId = await rooms.LocateAsync(meeting.Id, participant.Id, cancellationToken),
        };

        registry.Add(session);
        await notifier.AddConnectionAsync(connectionId, meeting.Id, session.IsModerator, cancellationToken);
        if (previous is not null && previous.ParticipantId != participant.Id)
        {
            // The connection switched identity (e.g. resumed another participant): the old one leaves.
            await presence.DepartAsync(previous, cancellationToken);
        }

        foreach (var observer in observers)
        {
            await observer.JoinedAsync(session, cancellationToken);
        }

        var count = await presence.ArriveAsync(session, cancellationToken);

        // Over the broadcast limit only moderators keep a live list; everyone else gets the count (and the list on request).
        // Everything the meeting screen shows, read together: one round trip's wait, not one per read.
        var listed = session.IsModerator || count <= options.Value.PresenceBroadcastLimit;
        var present = listed ? presence.ListAsync(meeting.Id, cancellationToken) : Task.FromResult<IReadOnlyList<ParticipantView>>([]);
        var pollsAndBallots = polls.GetForJoinAsync(session, cancellationToken);
        var history = chat.GetBeforeAsync(session.ScopeId, null, Math.Min(options.Value.JoinChatHistorySize, options.Value.MaxChatPageSize), cancellationToken);
        var lobbyView = lobby.ViewForAsync(session, cancellationToken);
        var room = rooms.LocationForJoinAsync(session, cancellationToken);
        var floor = floors.GetAsync(session.ScopeId, cancellationToken).AsTask();
        await Task.WhenAll(present, pollsAndBallots, history, lobbyView, room, floor);
        var (pollViews, ballots) = await pollsAndBallots;
        var page = await history;
        var result = new JoinResult(
            new MeetingInfo(meeting.Id, meeting.Title, meeting.HasEnded, new MeetingSettings(meeting.ChatEnabled)),
            participant.Id,
            participant.DisplayName,
            participant.Role,
            tokens.Issue(meeting.Id, participant.Id),
            resumed,
            await present,
            pollViews,
            ballots,
            page.LastSequence,
            count,
            Lobby: await lobbyView,
            Room: await room,
            ChatHistory: page,
            Floor: await floor);
        metrics.Joined(participant.Role.ToString(), resumed);
        ConferencingLog.Joined(logger, participant.Id, meeting.Id, participant.Role.ToString(), resumed);
        return result;
    }

    /// <summary>Leaves the meeting on purpose (the connection stays open and may join again).</summary>
    public async Task LeaveAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        if (registry.Find(connectionId) is null && await lobby.WaiterGoneAsync(connectionId, cancellationToken))
        {
            return; // left the lobby
        }

        var session = registry.Require(connectionId);
        registry.Remove(connectionId);
        await notifier.RemoveConnectionAsync(connectionId, session.MeetingId, session.IsModerator, cancellationToken);
        await presence.DepartAsync(session, cancellationToken);
        await TellObserversLeftAsync(session, cancellationToken);
    }

    /// <summary>The connection is gone. Store failures are logged, not thrown: the presence entry then expires.</summary>
    public async Task DisconnectAsync(string connectionId)
    {
        if (registry.Remove(connectionId) is not { } session)
        {
            return;
        }

        try
        {
            await presence.DepartAsync(session);
        }
        catch (Exception exception) when (exception is ConferencingException or TimeoutException)
        {
            ConferencingLog.DisconnectCleanupFailed(logger, session.ParticipantId, session.MeetingId, exception);
        }

        try
        {
            await TellObserversLeftAsync(session, CancellationToken.None);
        }
        catch (Exception exception) when (exception is ConferencingException or TimeoutException)
        {
            ConferencingLog.DisconnectCleanupFailed(logger, session.ParticipantId, session.MeetingId, exception);
        }
    }

    /// <summary>
    /// The participant list as an array: a hub method's result is serialized by its runtime type, and MessagePack
    /// cannot serialize the compiler's collection-expression list types (it aborts the connection).
    /// </summary>
    public async Task<ParticipantView[]> GetParticipantsAsync(string connectionId, CancellationToken cancellationToken = default) =>
        [.. await presence.ListAsync(registry.Require(connectionId).MeetingId, cancellationToken)];

    /// <summary>Ends the meeting for everyone: members are told, later joins and sends are refused, the record stays for export.</summary>
    public async Task<MeetingInfo> EndAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var meeting = await EndCoreAsync(session.MeetingId, cancellationToken)
            ?? throw ConferencingException.NotFound($"No meeting has the id '{session.MeetingId}'.");
        ConferencingLog.MeetingEnded(logger, meeting.Id, session.ParticipantId);
        return new MeetingInfo(meeting.Id, meeting.Title, Ended: true, new MeetingSettings(meeting.ChatEnabled));
    }

    /// <summary>Ends a live meeting that nobody is in (the lifecycle sweep's idle end); false when someone is present.</summary>
    public async Task<bool> EndIfEmptyAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        if ((await presence.ListAsync(meetingId, cancellationToken)).Count > 0)
        {
            return false;
        }

        await EndCoreAsync(meetingId, cancellationToken);
        return true;
    }

    private async Task<Meeting?> EndCoreAsync(string meetingId, CancellationToken cancellationToken)
    {
        var meeting = await meetings.EndAsync(meetingId, Now(), cancellationToken);
        if (meeting is null)
        {
            await lifecycle.MarkEndedAsync(meetingId, Now(), cancellationToken);
            return null;
        }

        await lifecycle.MarkEndedAsync(meeting.Id, meeting.EndedAtUnixMs ?? Now(), cancellationToken);
        guard.MarkEnded(meeting.Id);
        foreach (var observer in endObservers)
        {
            await observer.MeetingEndedAsync(meeting.Id, cancellationToken);
        }

        await notifier.MeetingEndedAsync(meeting.Id, cancellationToken);
        return meeting;
    }

    private async Task<(Participant Participant, bool Resumed, bool Waiting)> IdentifyAsync(Meeting meeting, JoinRequest request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(request.ResumeToken))
        {
            if (tokens.Validate(request.ResumeToken) is not { } token || token.MeetingId != meeting.Id)
            {
                ConferencingLog.InvalidResumeToken(logger, meeting.Id);
                throw ConferencingException.Forbidden("The resume token is invalid, expired or for another meeting; join again with the join code.");
            }

            await lobby.EnsureNotExcludedAsync(meeting.Id, token.ParticipantId, cancellationToken);
            if (await meetings.GetParticipantAsync(meeting.Id, token.ParticipantId, cancellationToken) is { } participant)
            {
                return (participant, true, false);
            }

            // The token of someone who entered the code and waited in the lobby: they come back in under the same id.
            return await EnterByCodeAsync(meeting, token.ParticipantId, request.DisplayName, cancellationToken);
        }

        ParticipantRole role;
        if (!string.IsNullOrEmpty(request.ModeratorKey))
        {
            if (!SecretCodes.SecretEquals(meeting.ModeratorKeyHash, SecretCodes.HashModeratorKey(request.ModeratorKey)))
            {
                throw ConferencingException.Forbidden("The moderator key is wrong.");
            }

            role = ParticipantRole.Moderator;
        }
        else if (!string.IsNullOrEmpty(request.JoinCode))
        {
            await throttle.EnsureAllowedAsync(meeting.Id, cancellationToken);
            if (!SecretCodes.SecretEquals(meeting.JoinCode, SecretCodes.NormalizeJoinCode(request.JoinCode)))
            {
                await throttle.RecordFailureAsync(meeting.Id, cancellationToken);
                ConferencingLog.WrongJoinCode(logger, meeting.Id);
                throw ConferencingException.Forbidden("The join code is wrong.");
            }

            return await EnterByCodeAsync(meeting, SecretCodes.NewParticipantId(), request.DisplayName, cancellationToken);
        }
        else
        {
            throw ConferencingException.Invalid("Give a join code, a moderator key or a resume token.");
        }

        var displayName = Inputs.Text(request.DisplayName, "Display name", options.Value.MaxDisplayNameLength);
        var created = new Participant(meeting.Id, SecretCodes.NewParticipantId(), displayName, role, Now());
        await meetings.SaveParticipantAsync(created, cancellationToken);
        return (created, false, false);
    }

    /// <summary>Someone with the code: refused when the meeting is locked, waiting when the lobby is on, in otherwise.</summary>
    private async Task<(Participant Participant, bool Resumed, bool Waiting)> EnterByCodeAsync(Meeting meeting, string participantId, string? displayName, CancellationToken cancellationToken)
    {
        var person = new Participant(meeting.Id, participantId, Inputs.Text(displayName, "Display name", options.Value.MaxDisplayNameLength), ParticipantRole.Participant, Now());
        if (await lobby.MustWaitAsync(meeting.Id, cancellationToken))
        {
            return (person, false, true);
        }

        await meetings.SaveParticipantAsync(person, cancellationToken);
        return (person, false, false);
    }

    private async Task TellObserversLeftAsync(Session session, CancellationToken cancellationToken)
    {
        var participantGone = !registry.HasConnection(session.MeetingId, session.ParticipantId);
        foreach (var observer in observers)
        {
            await observer.LeftAsync(session, participantGone, cancellationToken);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
