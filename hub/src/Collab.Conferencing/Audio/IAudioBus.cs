using Collab.Codec.Adaptation;

namespace Collab.Conferencing.Audio;

/// <summary>
/// Carries audio, reception reports and floor changes between the nodes that serve a meeting (in memory: within the
/// one node; with Redis: two pub/sub channels per meeting). Reception reports and floor changes are heard while the
/// node serves a member of the meeting; audio only while one of its members there receives audio, so a node whose
/// members are all text-only is not sent the meeting's audio at all. Audio never goes through the SignalR backplane,
/// so a slow listener's backpressure stays on that listener's own queue.
/// </summary>
public interface IAudioBus
{
    /// <summary>Sets the receiver of everything published to the meetings this node subscribes to.</summary>
    void Attach(IAudioBusHandler handler);

    /// <summary>Hears the meeting's reception reports and floor changes.</summary>
    Task SubscribeAsync(string meetingId, CancellationToken cancellationToken = default);

    Task UnsubscribeAsync(string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Hears the meeting's audio.</summary>
    Task SubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default);

    Task UnsubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default);

    Task PublishAudioAsync(string meetingId, string speakerId, byte[] batch, CancellationToken cancellationToken = default);

    Task PublishReceptionAsync(string meetingId, string speakerId, string listenerId, ReceptionReport report, CancellationToken cancellationToken = default);

    Task PublishFloorAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default);
}

/// <summary>What a node does with what arrives on the bus.</summary>
public interface IAudioBusHandler
{
    void OnAudio(string meetingId, string speakerId, byte[] batch);

    void OnReception(string meetingId, string speakerId, string listenerId, ReceptionReport report);

    void OnFloor(string meetingId, FloorView floor);
}

/// <summary>The bus of a single node: delivery is a direct call.</summary>
public sealed class LocalAudioBus : IAudioBus
{
    private IAudioBusHandler? _handler;

    public void Attach(IAudioBusHandler handler) => _handler = handler;

    public Task SubscribeAsync(string meetingId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UnsubscribeAsync(string meetingId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task UnsubscribeAudioAsync(string meetingId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task PublishAudioAsync(string meetingId, string speakerId, byte[] batch, CancellationToken cancellationToken = default)
    {
        _handler?.OnAudio(meetingId, speakerId, batch);
        return Task.CompletedTask;
    }

    public Task PublishReceptionAsync(string meetingId, string speakerId, string listenerId, ReceptionReport report, CancellationToken cancellationToken = default)
    {
        _handler?.OnReception(meetingId, speakerId, listenerId, report);
        return Task.CompletedTask;
    }

    public Task PublishFloorAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default)
    {
        _handler?.OnFloor(meetingId, floor);
        return Task.CompletedTask;
    }
}
