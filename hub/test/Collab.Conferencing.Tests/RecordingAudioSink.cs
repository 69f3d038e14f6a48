using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests;

/// <summary>An <see cref="IAudioSink"/> that records what the services would push to clients.</summary>
internal sealed class RecordingAudioSink : IAudioSink
{
    private readonly Lock _gate = new();
    private readonly List<(string ConnectionId, string SpeakerId, byte[] Batch)> _audio = [];

    public IReadOnlyList<(string ConnectionId, string SpeakerId, byte[] Batch)> Audio
    {
        get
        {
            lock (_gate)
            {
                return [.. _audio];
            }
        }
    }

    public Task SendAudioAsync(string connectionId, string speakerId, byte[] batch, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _audio.Add((connectionId, speakerId, batch));
        }

        return Task.CompletedTask;
    }

    public Task SendLinkFeedbackAsync(string connectionId, LinkFeedbackView feedback, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
