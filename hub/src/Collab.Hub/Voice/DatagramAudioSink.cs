using Collab.Conferencing.Audio;
using Collab.Hub.Hubs;

namespace Collab.Hub.Voice;

/// <summary>
/// Voice to a listener by the path that works for it: by datagram while its session is live, by SignalR
/// (<see cref="SignalRAudioSink"/>, the fallback) otherwise, and by both while a switch may be under way (see
/// <see cref="VoiceDatagramSession.Route"/>), so the listener's jitter buffer, which drops duplicates by sequence, never
/// sees a gap. A batch too big for one datagram goes by SignalR. Link feedback always goes by SignalR.
/// </summary>
internal sealed class DatagramAudioSink(SignalRAudioSink signalR, VoiceDatagramSessions sessions, VoiceDatagramSocket socket, VoiceDatagramClock clock) : IAudioSink
{
    public async Task SendAudioAsync(string connectionId, string speakerId, byte[] batch, CancellationToken cancellationToken = default)
    {
        if (sessions.Find(connectionId) is { } session && clock.Route(session) is var route and not VoiceRoute.SignalR
            && await socket.SendAudioAsync(session, speakerId, batch, cancellationToken)
            && route == VoiceRoute.Datagram)
        {
            return;
        }

        await signalR.SendAudioAsync(connectionId, speakerId, batch, cancellationToken);
    }

    public Task SendLinkFeedbackAsync(string connectionId, LinkFeedbackView feedback, CancellationToken cancellationToken = default) =>
        signalR.SendLinkFeedbackAsync(connectionId, feedback, cancellationToken);
}
