using Collab.Conferencing.Audio;
using Collab.Conferencing.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Lobby;

/// <summary>
/// The lobby and the lock: whether a join by code enters, waits or is refused; the waiting list; a moderator's
/// admit and deny. A waiter is admitted by storing it as a participant (its waiter id becomes its participant id)
/// and telling its connection, wherever it is, to join again with its token: the join then completes as a resume.
/// </summary>
public sealed partial class LobbyService(
    ILobbyStore store,
    IMeetingStore meetings,
    ConnectionRegistry registry,
    WaitingRoom room,
    ResumeTokens tokens,
    ILobbyNotifier notifier,
    IOptions<LobbyOptions> options,
    TimeProvider time,
    ILogger<LobbyService> logger) : IMeetingEndObserver
{
    private const string DeniedReason = "A moderator declined your request to join this meeting.";

    /// <summary>The removed or denied refusal for someone who may not come back; nothing for anyone else.</summary>
    public async Task EnsureNotExcludedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default)
    {
        switch (await store.GetExclusionAsync(meetingId, participantId, cancellationToken))
        {
            case Exclusion.Removed:
                throw new ConferencingException(ConferencingError.Removed, "A moderator removed you from this meeting.");
            case Exclusion.Denied:
                throw new ConferencingException(ConferencingError.Denied, DeniedReason);
            default:
                return;
        }
    }

    /// <summary>For a join by code (the code already checked): true when it must wait in the lobby; the locked refusal when the meeting is locked.</summary>
    public async Task<bool> MustWaitAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var state = await store.GetAsync(meetingId, cancellationToken);
        if (state.Locked)
        {
            throw new ConferencingException(ConferencingError.Locked, "This meeting is locked: a moderator is not letting anyone new in.");
        }

        return state.Enabled;
    }

    /// <summary>Puts the person in the lobby on this connection; the result carries their token and no meeting data.</summary>
    public async Task<JoinResult> WaitAsync(string connectionId, Meeting meeting, Participant person, CancellationToken cancellationToken = default)
    {
        if (registry.Find(connectionId) is not null)
        {
            throw ConferencingException.Conflict("This connection already joined the meeting; open a new connection to join as someone else.");
        }

        var waiter = new Waiter(person.Id, person.DisplayName, person.JoinedAtUnixMs, connectionId);
        var state = await store.AddWaiterAsync(meeting.Id, waiter, options.Value.MaxWaiting, cancellationToken)
            ?? throw ConferencingException.Unavailable($"The lobby of this meeting is full ({options.Value.MaxWaiting} waiting); try again later.");
        if (room.Add(connectionId, meeting.Id, person.Id) is { } previous && previous.WaiterId != person.Id)
        {
            // The connection waited as someone else before (it entered the code again): that place is given up.
            state = (await store.TakeWaiterAsync(previous.MeetingId, previous.WaiterId, connectionId, null, cancellationToken)).State;
            await notifier.RemoveWaiterAsync(connectionId, previous.MeetingId, previous.WaiterId, cancellationToken);
        }

        await notifier.AddWaiterAsync(connectionId, meeting.Id, person.Id, cancellationToken);
        await notifier.LobbyUpdatedAsync(meeting.Id, LobbyView.Of(state), cancellationToken);
        Waiting(logger, person.Id, meeting.Id);
        return new JoinResult(
            new MeetingInfo(meeting.Id, meeting.Title, meeting.HasEnded, new MeetingSettings(meeting.ChatEnabled)),
            person.Id,
            person.DisplayName,
            ParticipantRole.Participant,
            tokens.Issue(meeting.Id, person.Id),
            Resumed: false,
            Participants: [],
            Polls: [],
            MyBallots: [],
            LastChatSequence: 0,
            ParticipantCount: 0,
            Waiting: true);
    }

    /// <summary>
    /// The connection joined as <paramref name="participantId"/>: it no longer waits. Admitted, its place is already
    /// gone; joined as someone else (a moderator key, say), the place it waited in is given up.
    /// </summary>
    public async Task ForgetAsync(string connectionId, string participantId, CancellationToken cancellationToken = default)
    {
        if (room.Remove(connectionId) is not { } waiting)
        {
            return;
        }

        await notifier.RemoveWaiterAsync(connectionId, waiting.MeetingId, waiting.WaiterId, cancellationToken);
        if (waiting.WaiterId != participantId)
        {
            var (taken, state) = await store.TakeWaiterAsync(waiting.MeetingId, waiting.WaiterId, connectionId, null, cancellationToken);
            if (taken is not null)
            {
                await notifier.LobbyUpdatedAsync(waiting.MeetingId, LobbyView.Of(state), cancellationToken);
            }
        }
    }

    /// <summary>A waiting connection left or closed: its place goes, unless it already waits on a newer connection.</summary>
    public async Task<bool> WaiterGoneAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        if (room.Remove(connectionId) is not { } waiting)
        {
            return false;
        }

        var (taken, state) = await store.TakeWaiterAsync(waiting.MeetingId, waiting.WaiterId, connectionId, null, cancellationToken);
        if (taken is not null)
        {
            await notifier.LobbyUpdatedAsync(waiting.MeetingId, LobbyView.Of(state), cancellationToken);
        }

        return true;
    }

    /// <summary>The lobby as moderators see it (null for anyone else).</summary>
    public async Task<LobbyView?> ViewForAsync(Session session, CancellationToken cancellationToken = default) =>
        session.IsModerator ? LobbyView.Of(await store.GetAsync(session.MeetingId, cancellationToken)) : null;

    public async Task<LobbyView> GetAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        return LobbyView.Of(await store.GetAsync(session.MeetingId, cancellationToken));
    }

    /// <summary>Turns the lobby on or off; turning it off admits everyone waiting.</summary>
    public async Task<LobbyView> SetEnabledAsync(string connectionId, bool enabled, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var state = await store.SetAsync(session.MeetingId, enabled, null, cancellationToken);
        if (!enabled && state.Waiting.Count > 0)
        {
            return await DecideAllAsync(session, admit: true, cancellationToken);
        }

        await notifier.LobbyUpdatedAsync(session.MeetingId, LobbyView.Of(state), cancellationToken);
        return LobbyView.Of(state);
    }

    /// <summary>Locks or unlocks the meeting; people already waiting stay and may still be admitted.</summary>
    public async Task<LobbyView> SetLockedAsync(string connectionId, bool locked, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var state = await store.SetAsync(session.MeetingId, null, locked, cancellationToken);
        await notifier.LobbyUpdatedAsync(session.MeetingId, LobbyView.Of(state), cancellationToken);
        return LobbyView.Of(state);
    }

    public async Task<LobbyView> AdmitAsync(string connectionId, string? waiterId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var state = await DecideAsync(session, Inputs.Id(waiterId, "waiterId"), admit: true, cancellationToken);
        await notifier.LobbyUpdatedAsync(session.MeetingId, LobbyView.Of(state), cancellationToken);
        return LobbyView.Of(state);
    }

    public async Task<LobbyView> DenyAsync(string connectionId, string? waiterId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var state = await DecideAsync(session, Inputs.Id(waiterId, "waiterId"), admit: false, cancellationToken);
        await notifier.LobbyUpdatedAsync(session.MeetingId, LobbyView.Of(state), cancellationToken);
        return LobbyView.Of(state);
    }

    public Task<LobbyView> AdmitAllAsync(string connectionId, CancellationToken cancellationToken = default) =>
        DecideAllAsync(registry.Require(connectionId), admit: true, cancellationToken);

    public Task<LobbyView> DenyAllAsync(string connectionId, CancellationToken cancellationToken = default) =>
        DecideAllAsync(registry.Require(connectionId), admit: false, cancellationToken);

    /// <summary>Everyone still waiting is told the meeting ended (they are in no meeting group).</summary>
    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) =>
        notifier.LobbyClosedAsync(meetingId, cancellationToken);

    private async Task<LobbyView> DecideAllAsync(Session session, bool admit, CancellationToken cancellationToken)
    {
        var state = await store.GetAsync(session.MeetingId, cancellationToken);
        foreach (var waiter in state.Waiting)
        {
            try
            {
                state = await DecideAsync(session, waiter.Id, admit, cancellationToken);
            }
            catch (ConferencingException exception) when (exception.Error == ConferencingError.NotFound)
            {
                // Another moderator decided, or the waiter left, meanwhile.
            }
        }

        state = await store.GetAsync(session.MeetingId, cancellationToken);
        await notifier.LobbyUpdatedAsync(session.MeetingId, LobbyView.Of(state), cancellationToken);
        return LobbyView.Of(state);
    }

    private async Task<LobbyState> DecideAsync(Session session, string waiterId, bool admit, CancellationToken cancellationToken)
    {
        var (taken, state) = await store.TakeWaiterAsync(session.MeetingId, waiterId, null, admit ? null : Exclusion.Denied, cancellationToken);
        if (taken is null)
        {
            throw ConferencingException.NotFound($"No one with the id '{waiterId}' is waiting in the lobby.");
        }

        if (admit)
        {
            await meetings.SaveParticipantAsync(new Participant(session.MeetingId, taken.Id, taken.DisplayName, ParticipantRole.Participant, time.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
            await notifier.AdmittedAsync(session.MeetingId, taken.Id, cancellationToken);
        }
        else
        {
            await notifier.DeniedAsync(session.MeetingId, taken.Id, DeniedReason, cancellationToken);
        }

        Decided(logger, taken.Id, session.MeetingId, admit ? "admitted" : "denied", session.ParticipantId);
        return state;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "{WaiterId} waits in the lobby of meeting {MeetingId}")]
    private static partial void Waiting(ILogger logger, string waiterId, string meetingId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "{WaiterId} {Decision} from the lobby of meeting {MeetingId} by {ModeratorId}")]
    private static partial void Decided(ILogger logger, string waiterId, string meetingId, string decision, string moderatorId);
}
