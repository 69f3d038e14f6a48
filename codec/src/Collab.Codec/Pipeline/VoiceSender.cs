using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Profiles;

namespace Collab.Codec.Pipeline;

/// <summary>
/// The speaker's side: encodes 48 kHz frames with the current profile and lays them out as Collab audio packets,
/// with sequence numbers, media timestamps, audio level and (when the profile asks) copies of earlier frames.
/// During DTX silence the encoder emits 1–2 byte frames, which are not sent: the receiver sees a timestamp jump
/// without a sequence gap and plays comfort silence. Not thread-safe: one per speaker.
/// </summary>
public sealed class VoiceSender : IDisposable
{
    private const int DtxFrameBytes = 2;
    private readonly VoiceEncoder _encoder;
    private readonly byte[] _primary = new byte[VoiceFormat.MaxEncodedFrameBytes];
    private readonly EncodedFrameHistory _history = new(AudioPacketFormat.MaxRedundantFrames);
    private ushort _sequence;
    private uint _timestamp;

    public VoiceSender(VoiceProfile profile, OpusBackendPreference backend = OpusBackendPreference.Auto, ushort firstSequence = 0, uint firstTimestamp = 0)
    {
        _encoder = new VoiceEncoder(profile, backend);
        _sequence = firstSequence;
        _timestamp = firstTimestamp;
    }

    public VoiceProfile Profile => _encoder.Profile;

    public OpusBackend Backend => _encoder.Backend;

    public int ExpectedLossPercent => _encoder.ExpectedLossPercent;

    /// <summary>Samples by which the decoded audio lags what was captured (Opus lookahead).</summary>
    public int LookaheadSamples => _encoder.LookaheadSamples;

    /// <summary>Media timestamp the next frame will carry.</summary>
    public uint NextTimestamp => _timestamp;

    /// <summary>Switches profile from the next frame on; callers then supply frames of the new profile's length.</summary>
    public void Apply(VoiceProfile profile, int expectedLossPercent) => _encoder.Apply(profile, expectedLossPercent);

    /// <summary>
    /// Encodes one frame of <see cref="VoiceProfile.SamplesPerFrame"/> samples and writes its packet into
    /// <paramref name="packet"/> (size it with <see cref="AudioPacketFormat.MaxPacketBytes"/>). Returns the packet
    /// length, or 0 when DTX suppressed the frame and nothing is to be sent.
    /// </summary>
    public int EncodeFrame(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        var profile = _encoder.Profile;
        var frameTimestamp = _timestamp;
        var encoded = _encoder.Encode(pcm, _primary);
        _timestamp += (uint)pcm.Length;
        if (profile.Dtx && encoded <= DtxFrameBytes)
        {
            _history.Clear();
            return 0;
        }

        var level = AudioLevel.Measure(pcm);
        var header = new AudioPacketHeader(_sequence++, frameTimestamp, (byte)profile.FrameMilliseconds, level, level < AudioLevel.SpeakingThreshold, profile.Id);
        var writer = new AudioPacketWriter(packet, header);
        for (var distance = Math.Min(profile.RedundantFrames, _history.Count); distance >= 1; distance--)
        {
            if (_history.TryGet(distance, frameTimestamp, out var frame, out var durationMilliseconds))
            {
                writer.AddRedundant(frame, durationMilliseconds);
            }
        }

        var length = writer.Complete(_primary.AsSpan(0, encoded));
        _history.Add(_primary.AsSpan(0, encoded), frameTimestamp, profile.FrameMilliseconds);
        return length;
    }

    public void Dispose() => _encoder.Dispose();
}
