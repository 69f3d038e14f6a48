using Collab.Conferencing.Lobby;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Participants;

/// <summary>
/// Renames (yourself, or a moderator renames someone) and co-moderators (a moderator promotes a participant or demotes a
/// co-moderator). The change lands in the participant store first (one atomic update, so a resume token resumes with
/// it on any node), then reaches every node through <see cref="IAccessSignals"/> ("participant changed"): each node
/// reads the participant again, replaces the sessions of its connections (the next call has the new name and role, no
/// reconnect), moves them into or out of the moderators' pushes, forgets the cached membership
/// (<see cref="MeetingGuard"/>) and tells each connection <c>SelfUpdated</c>. The presence entry is updated once and
/// pushed as <c>ParticipantUpdated</c>; chat and questions keep the name they were sent with.
/// </summary>
/// <remarks>
/// Rules: someone who joined with the moderator key stays a moderator (they hold the key and would come back with it);
/// a co-moderator may be demoted by any moderator, themself included, except that the last moderator present may not
/// step down. Who may promote, demote and rename others is the hub's rule (moderators).
/// </remarks>
public sealed partial class ParticipantChangeService : IHostedService
{
    private readonly IMeetingStore _meetings;
    private readonly IAccessSignals _signals;
    private readonly ConnectionRegistry _registry;
    private readonly MeetingGuard _guard;
    private readonly PresenceService _presence;
    private readonly IParticipantChangeNotifier _notifier;
    private readonly IEnumerable<IParticipantChangeObserver> _observers;
    private readonly IOptions<ConferencingOptions> _options;
    private readonly ILogger<ParticipantChangeService> _logger;

    public ParticipantChangeService(
        IMeetingStore meetings,
        IAccessSignals signals,
        ConnectionRegistry registry,
        MeetingGuard guard,
        PresenceService presence,
        IParticipantChangeNotifier notifier,
        IEnumerable<IParticipantChangeObserver> observers,
        IOptions<ConferencingOptions> options,
        ILogger<ParticipantChangeService> logger)
    {
        (_meetings, _signals, _registry, _guard, _presence, _notifier, _observers, _options, _logger) =
            (meetings, signals, registry, guard, presence, notifier, observers, options, logger);

        // Registered before the host starts the signals, so no change from another node goes unheard.
        signals.OnChanged(ApplyAsync);
    }

    /// <summary>Renames the caller (validated as a join name).</summary>
    public async Task<ParticipantView> RenameSelfAsync(string connectionId, string? displayName, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        return await ChangeAsync(session, session.ParticipantId, Name(displayName), role: null, cancellationToken);
    }

    /// <summary>A moderator renames someone of the meeting.</summary>
    public async Task<ParticipantView> RenameAsync(string connectionId, string? participantId, string? displayName, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        return await ChangeAsync(session, Inputs.Id(participantId, "participantId"), Name(displayName), role: null, cancellationToken);
    }

    /// <summary>A moderator makes someone a moderator (a co-moderator); one already a moderator stays as it is.</summary>
    public async Task<ParticipantView> PromoteAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        return await ChangeAsync(session, Inputs.Id(participantId, "participantId"), displayName: null, ParticipantRole.Moderator, cancellationToken);
    }

    /// <summary>A moderator demotes a co-moderator (themself too, unless no other moderator is present); a participant stays as it is.</summary>
    public async Task<ParticipantView> DemoteAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = _registry.Require(connectionId);
        var id = Inputs.Id(participantId, "participantId");
        var target = await _meetings.GetParticipantAsync(session.MeetingId, id, cancellationToken)
            ?? throw ConferencingException.NotFound($"No participant '{id}' in this meeting.");
        if (target.Role == ParticipantRole.Moderator && !target.Promoted)
        {
            throw ConferencingException.Forbidden($"{target.DisplayName} joined with the moderator key and stays a moderator.");
        }

        if (target.Role == ParticipantRole.Moderator && id == session.ParticipantId)
        {
            var present = await _presence.ListAsync(session.MeetingId, cancellationToken);
            if (!present.Any(view => view.Role == ParticipantRole.Moderator && view.ParticipantId != id))
            {
                throw ConferencingException.Conflict("You are the only moderator present; make someone else a moderator before you step down.");
            }
        }

        return await ChangeAsync(session, id, displayName: null, ParticipantRole.Participant, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Name(string? displayName) => Inputs.Text(displayName, "Display name", _options.Value.MaxDisplayNameLength);

    private async Task<ParticipantView> ChangeAsync(Session caller, string participantId, string? displayName, ParticipantRole? role, CancellationToken cancellationToken)
    {
        var before = await _meetings.GetParticipantAsync(caller.MeetingId, participantId, cancellationToken)
            ?? throw ConferencingException.NotFound($"No participant '{participantId}' in this meeting.");
        if ((displayName is null || displayName == before.DisplayName) && (role is null || role == before.Role))
        {
            return await ViewAsync(before, cancellationToken);
        }

        var after = await _meetings.UpdateParticipantAsync(caller.MeetingId, participantId, displayName, role, cancellationToken)
            ?? throw ConferencingException.NotFound($"No participant '{participantId}' in this meeting.");
        await ApplyAsync(caller.MeetingId, participantId);
        await _signals.PublishChangedAsync(caller.MeetingId, participantId, cancellationToken);
        var view = await _presence.UpdateAsync(caller.MeetingId, participantId, after.DisplayName, after.Role, cancellationToken)
            ?? new ParticipantView(after.Id, after.DisplayName, after.Role, HandRaised: false);
        foreach (var observer in _observers)
        {
            await observer.ParticipantChangedAsync(after, cancellationToken);
        }

        Changed(_logger, participantId, caller.MeetingId, after.Role.ToString(), displayName is not null, caller.ParticipantId);
        return view;
    }

    private async Task<ParticipantView> ViewAsync(Participant participant, CancellationToken cancellationToken) =>
        (await _presence.ListAsync(participant.MeetingId, cancellationToken)).FirstOrDefault(view => view.ParticipantId == participant.Id)
            ?? new ParticipantView(participant.Id, participant.DisplayName, participant.Role, HandRaised: false);

    /// <summary>What every node does for a change: read the participant as stored and bring this node's sessions in line.</summary>
    private async Task ApplyAsync(string meetingId, string participantId)
    {
        _guard.Forget(meetingId, participantId);
        if (!_registry.HasConnection(meetingId, participantId)
            || await _meetings.GetParticipantAsync(meetingId, participantId) is not { } participant)
        {
            return;
        }

        var changed = _registry.Update(meetingId, participantId, session => session with { DisplayName = participant.DisplayName, Role = participant.Role });
        var self = new SelfView(participant.Id, participant.DisplayName, participant.Role);
        foreach (var (before, after) in changed)
        {
            if (before.IsModerator != after.IsModerator)
            {
                await _notifier.SetModeratorAsync(after.ConnectionId, meetingId, after.IsModerator);
            }

            await _notifier.SelfUpdatedAsync(after.ConnectionId, self);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Participant {ParticipantId} of meeting {MeetingId} changed (role {Role}, renamed {Renamed}) by {ChangedBy}")]
    private static partial void Changed(ILogger logger, string participantId, string meetingId, string role, bool renamed, string changedBy);
}
