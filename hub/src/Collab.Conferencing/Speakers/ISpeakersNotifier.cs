namespace Collab.Conferencing.Speakers;

/// <summary>Pushes the list of speakers to a meeting's members on every node (the host implements it over SignalR). Best effort.</summary>
public interface ISpeakersNotifier
{
    Task SpeakersUpdatedAsync(string meetingId, SpeakersView speakers, CancellationToken cancellationToken = default);
}
