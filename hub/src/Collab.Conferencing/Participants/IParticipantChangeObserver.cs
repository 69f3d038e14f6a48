namespace Collab.Conferencing.Participants;

/// <summary>A feature that shows participants' names or roles and pushes its own view when one changes (the list of speakers).</summary>
public interface IParticipantChangeObserver
{
    /// <summary>Called once per change, on the node that made it, after the store holds the change.</summary>
    Task ParticipantChangedAsync(Meetings.Participant participant, CancellationToken cancellationToken = default);
}
