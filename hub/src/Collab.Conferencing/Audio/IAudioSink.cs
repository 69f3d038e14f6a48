
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>Pushes voice to one connection at a time (audio, link feedback); the host implements it over SignalR. Floor changes go through <see cref="IMeetingNotifier"/>.</summary>
public interface IAudioSink
{
    /// <summary>Sends one batch to one connection; completes when the connection's transport accepted it.</summary>
    Task SendAudioAsync(string connectionId, string speakerId, byte[] batch, CancellationToken cancellationToken = default);

    Task SendLinkFeedbackAsync(string connectionId, LinkFeedbackView feedback, CancellationToken cancellationToken = default);
}

/// <summary>Told when a connection joins or leaves a meeting on this node.</summary>
public interface IMembershipObserver
{
    Task JoinedAsync(Session session, CancellationToken cancellationToken = default);

    Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default);
}

/// <summary>Told when a moderator ends a meeting (on the node where it was ended), to stop what the meeting had running.</summary>
public interface IMeetingEndObserver
{
    Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default);
}
