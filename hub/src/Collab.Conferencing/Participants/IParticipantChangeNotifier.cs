namespace Collab.Conferencing.Participants;

/// <summary>What a participant change needs from the host on each node (over SignalR). Best effort, like every push.</summary>
public interface IParticipantChangeNotifier
{
    /// <summary>Adds the connection to its meeting's moderators' pushes, or takes it out of them (it stays in the meeting's).</summary>
    Task SetModeratorAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default);

    /// <summary>To one connection of the changed participant, once this node applies the change: its calls carry the new name and role from now on.</summary>
    Task SelfUpdatedAsync(string connectionId, SelfView self, CancellationToken cancellationToken = default);
}
