using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Lobby;

/// <summary>
/// A moderator removes a participant: the exclusion is stored first (so its resume token is refused on every node
/// from then on), then every node that serves one of its connections tells that connection why, lets it leave (its
/// floor, hand and presence go; <c>ParticipantLeft</c> is pushed once, when the last goes) and closes it. This node
/// does so at once; the others hear it through <see cref="IAccessSignals"/>, which also makes every node forget the
/// participant's cached membership (<see cref="MeetingGuard"/>).
/// </summary>
public sealed partial class ParticipantRemoval(
    ILobbyStore store,
    IAccessSignals signals,
    ConnectionRegistry registry,
    MeetingGuard guard,
    MeetingService meetings,
    IMeetingNotifier meetingNotifier,
    ILobbyNotifier notifier,
    ILogger<ParticipantRemoval> logger,
    Rooms.RoomService rooms) : IHostedService
{
    public const string Reason = "A moderator removed you from this meeting.";

    public async Task RemoveAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(participantId, "participantId");
        if (id == session.ParticipantId)
        {
            throw ConferencingException.Invalid("You cannot remove yourself; leave the meeting instead.");
        }

        await store.ExcludeAsync(session.MeetingId, id, Exclusion.Removed, cancellationToken);
        await rooms.ForgetAsync(session.MeetingId, id, cancellationToken);
        await ApplyAsync(session.MeetingId, id);
        await signals.PublishRemovedAsync(session.MeetingId, id, cancellationToken);
        Removed(logger, id, session.MeetingId, session.ParticipantId);
    }

    public Task StartAsync(CancellationToken cancellationToken) => signals.StartAsync(ApplyAsync, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What every node does for a removal: forget the membership, then tell and close this node's connections of the participant.</summary>
    private async Task ApplyAsync(string meetingId, string participantId)
    {
        guard.MarkRemoved(meetingId, participantId);
        foreach (var session in registry.ConnectionsOf(meetingId, participantId))
        {
            await notifier.RemovedAsync(session.ConnectionId, Reason);
            await meetings.DisconnectAsync(session.ConnectionId);
            await meetingNotifier.RemoveConnectionAsync(session.ConnectionId, meetingId, session.IsModerator);
            notifier.Abort(session.ConnectionId);
        }
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Participant {ParticipantId} removed from meeting {MeetingId} by {ModeratorId}")]
    private static partial void Removed(ILogger logger, string participantId, string meetingId, string moderatorId);
}
