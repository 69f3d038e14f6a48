using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests;

/// <summary>An <see cref="IAudioSink"/> that records what the services would push to clients.</summary>
internal sealed class RecordingAudioSink : IAudioSink
{
    private readonly Lock _gate = new();
    private readonly List<(string ConnectionId, string SpeakerId, byte[] Batch)> _audio = [];
    private readonly List<(string MeetingId, FloorView Floor)> _floors = [];

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

    public IReadOnlyList<(string MeetingId, FloorView Floor)> Floors
    {
        get
        {
            lock (_gate)
            {
                return [.. _floors];
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

    public Task FloorUpdatedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _floors.Add((meetingId, floor));
        }

        return Task.CompletedTask;
    }
}
