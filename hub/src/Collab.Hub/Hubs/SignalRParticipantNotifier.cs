using Collab.Conferencing;
using Collab.Conferencing.Participants;
using Collab.Conferencing.Speakers;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Hubs;

/// <summary>
/// Participant changes and the list of speakers over SignalR. A change is applied by the node serving the connection,
/// so its group moves and <c>SelfUpdated</c> go to a local connection; a failed push is logged and the call goes on.
/// </summary>
internal sealed partial class SignalRParticipantNotifier(IHubContext<MeetingHub, IMeetingClient> hub, ILogger<SignalRParticipantNotifier> logger)
    : IParticipantChangeNotifier, ISpeakersNotifier
{
    public Task SetModeratorAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) =>
        BestEffortAsync("moderators group", meetingId, () => moderator
            ? hub.Groups.AddToGroupAsync(connectionId, MeetingGroups.Moderators(meetingId), cancellationToken)
            : hub.Groups.RemoveFromGroupAsync(connectionId, MeetingGroups.Moderators(meetingId), cancellationToken));

    public Task SelfUpdatedAsync(string connectionId, SelfView self, CancellationToken cancellationToken = default) =>
        BestEffortAsync("self updated", self.ParticipantId, () => hub.Clients.Client(connectionId).SelfUpdated(self));

    public Task SpeakersUpdatedAsync(string meetingId, SpeakersView speakers, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(MeetingGroups.Meeting(meetingId)).SpeakersUpdated(speakers);

    private async Task BestEffortAsync(string what, string about, Func<Task> push)
    {
        try
        {
            await push();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            PushFailed(logger, what, about, exception);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Push {What} for {About} failed")]
    private static partial void PushFailed(ILogger logger, string what, string about, Exception exception);
}
