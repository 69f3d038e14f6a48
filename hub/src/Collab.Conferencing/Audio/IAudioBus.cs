using Collab.Codec.Adaptation;

namespace Collab.Conferencing.Audio;

/// <summary>
/// Carries audio, reception reports and floor changes between the nodes that serve a meeting (in memory: within the
/// one node; with Redis: one pub/sub channel per meeting, subscribed while the node serves a member). Audio never
/// goes through the SignalR backplane, so a slow listener's backpressure stays on that listener's own queue.
/// </summary>
public interface IAudioBus
{
    /// <summary>Sets the receiver of everything published to the meetings this node subscribes to.</summary>
    void Attach(IAudioBusHandler handler);

    Task SubscribeAsync(string meetingId, CancellationToken cancellationToken = default);

    Task UnsubscribeAsync(string meetingId, CancellationToken cancellationToken = default);

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
