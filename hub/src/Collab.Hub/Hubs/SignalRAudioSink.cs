using Collab.Conferencing.Audio;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Hubs;

/// <summary>
/// Voice pushes over SignalR. Audio goes to one connection at a time from that listener's own queue, so awaiting a
/// slow transport holds up only that listener. Floor changes go through <see cref="SignalRMeetingNotifier"/>.
/// </summary>
internal sealed class SignalRAudioSink(IHubContext<MeetingHub, IMeetingClient> hub) : IAudioSink
{
    public Task SendAudioAsync(string connectionId, string speakerId, byte[] batch, CancellationToken cancellationToken = default) =>
        hub.Clients.Client(connectionId).AudioReceived(speakerId, batch);

    public Task SendLinkFeedbackAsync(string connectionId, LinkFeedbackView feedback, CancellationToken cancellationToken = default) =>
        hub.Clients.Client(connectionId).LinkFeedback(feedback);
}
