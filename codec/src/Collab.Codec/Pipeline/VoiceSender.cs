using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Profiles;

namespace Collab.Codec.Pipeline;

/// <summary>
/// The speaker's side: encodes 48 kHz frames with the current profile and lays them out as Collab audio packets,
/// with sequence numbers, media timestamps, audio level and (when the profile asks) copies of earlier frames: exact
/// copies, or re-encodings by a second encoder at the profile's lower redundancy bitrate, which codes every frame so
/// its state stays continuous.
/// During DTX silence the encoder emits 1–2 byte frames, which are not sent: the receiver sees a timestamp jump
/// without a sequence gap and plays comfort silence. Not thread-safe: one per speaker.
/// </summary>
public sealed class VoiceSender : IDisposable
{
    private const int DtxFrameBytes = 2;
    private readonly VoiceEncoder _encoder;
    private readonly byte[] _primary = new byte[VoiceFormat.MaxEncodedFrameBytes];
    private const int HistoryFrames = 4;
    private readonly OpusBackendPreference _backend;
    private readonly EncodedFrameHistory _history = new(HistoryFrames);
    private readonly EncodedFrameHistory _reencoded = new(HistoryFrames);
    private readonly byte[] _secondary = new byte[VoiceFormat.MaxEncodedFrameBytes];
    private VoiceEncoder? _reencoder;
    private ushort _sequence;
    private uint _timestamp;

    public VoiceSender(VoiceProfile profile, OpusBackendPreference backend = OpusBackendPreference.Auto, ushort firstSequence = 0, uint firstTimestamp = 0)
    {
        _encoder = new VoiceEncoder(profile, backend);
        _backend = backend;
        ApplyReencoder(profile);
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
    public void Apply(VoiceProfile profile, int expectedLossPercent)
    {
        _encoder.Apply(profile, expectedLossPercent);
        ApplyReencoder(profile);
    }

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
        var reencoded = _reencoder?.Encode(pcm, _secondary) ?? 0;
        _timestamp += (uint)pcm.Length;
        if (profile.Dtx && encoded <= DtxFrameBytes)
        {
            _history.Clear();
            _reencoded.Clear();
            return 0;
        }

        var level = AudioLevel.Measure(pcm);
        var header = new AudioPacketHeader(_sequence++, frameTimestamp, (byte)profile.FrameMilliseconds, level, level < AudioLevel.SpeakingThreshold, profile.Id);
        var writer = new AudioPacketWriter(packet, header);
        var uniform = profile.SpreadsRedundancy ? profile.FrameMilliseconds : 0;
        foreach (var copy in profile.Redundancy)
        {
            var source = copy.BitrateBitsPerSecond is null ? _history : _reencoded;
            if (source.TryGet(copy.Distance, frameTimestamp, out var frame, out var durationMilliseconds, uniform))
            {
                writer.AddRedundant(frame, durationMilliseconds, copy.Distance);
            }
        }

        var length = writer.Complete(_primary.AsSpan(0, encoded));
        _history.Add(_primary.AsSpan(0, encoded), frameTimestamp, profile.FrameMilliseconds);
        if (reencoded > 0)
        {
            _reencoded.Add(_secondary.AsSpan(0, reencoded), frameTimestamp, profile.FrameMilliseconds);
        }

        return length;
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _reencoder?.Dispose();
    }

    /// <summary>Keeps the second encoder in step with the profile: created, retuned or dropped.</summary>
    private void ApplyReencoder(VoiceProfile profile)
    {
        if (profile.RedundancyBitrateBitsPerSecond is not { } bitrate)
        {
            _reencoder?.Dispose();
            _reencoder = null;
            _reencoded.Clear();
            return;
        }

        var secondary = profile with { BitrateBitsPerSecond = bitrate, InbandFec = false };
        if (_reencoder is null)
        {
            _reencoder = new VoiceEncoder(secondary, _backend);
        }
        else
        {
            _reencoder.Apply(secondary, secondary.ExpectedLossPercent);
        }
    }
}
