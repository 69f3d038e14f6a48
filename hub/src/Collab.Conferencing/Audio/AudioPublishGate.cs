using Collab.Codec;
using Collab.Codec.Packets;

namespace Collab.Conferencing.Audio;

/// <summary>
/// The way in for a speaker's audio: the batch is checked completely (framing, every packet whole), the floor must be
/// the speaker's, and the speaker's byte budget must cover it, before it goes on the audio bus of the speaker's scope.
/// </summary>
internal sealed class AudioPublishGate(
    IAudioBus bus,
    ConnectionRegistry registry,
    FloorService floor,
    SpeakerFeedback speakers,
    AudioMetrics metrics,
    AudioOptions options,
    TimeProvider time)
{
    public async Task PublishAsync(string connectionId, byte[]? batch, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var (packets, last) = Validate(batch);
        await floor.EnsureMayPublishAsync(session, cancellationToken);
        var speaker = speakers.Track(session, (last.Timestamp / (double)VoiceFormat.SamplesPerMillisecond) + last.DurationMilliseconds);
        if (!speaker.Budget.TryTake(batch!.Length, time.GetTimestamp(), out _))
        {
            throw new ConferencingException(ConferencingError.RateLimited, $"Audio is limited to {options.SpeakerBytesPerSecond * 8 / 1000} kbit/s per speaker; this batch was dropped.");
        }

        metrics.PacketsIn(packets);
        await bus.PublishAudioAsync(session.ScopeId, session.ParticipantId, batch, cancellationToken);
    }

    /// <summary>
    /// Checks the batch completely (framing, and every packet whole: header, redundant blocks, primary frame) before
    /// anything is relayed, without allocating per packet; returns the packet count and the last packet's header.
    /// </summary>
    private static (int Packets, AudioPacketHeader Last) Validate(byte[]? batch)
    {
        if (batch is null)
        {
            throw ConferencingException.Invalid("Malformed audio batch: none was given.");
        }

        return AudioBatch.TryValidatePackets(batch, out var packets, out var last, out var error)
            ? (packets, last)
            : throw ConferencingException.Invalid($"Malformed audio batch: {error}");
    }

}
