using System.Buffers;
using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Packets;

namespace Collab.Codec.Jitter;

/// <summary>
/// Adaptive jitter buffer for one speaker's stream over a TCP-borne transport. Packets are pushed as they arrive
/// (reordered by media time, duplicates dropped); the playout clock pulls one frame at a time. A gap before a packet
/// that has arrived is a loss: it is rebuilt from a redundant copy, else from the next packet's in-band FEC, else
/// concealed. An empty buffer is a stall: concealment, then silence, while media time waits for the late packets;
/// when they flood in, quiet frames (then, past a hard limit, any frames) are skipped until the backlog is back at
/// the target, so latency never grows without bound. Not thread-safe: push and pull from one loop.
/// </summary>
public sealed class JitterBuffer : IDisposable
{
    private const int DefaultFrameSamples = 20 * VoiceFormat.SamplesPerMillisecond;
    private readonly VoiceDecoder _decoder;
    private readonly JitterBufferOptions _options;
    private readonly ArrivalDelayTracker _delay;
    private readonly List<BufferedPacket> _packets;
    private readonly short[] _discard = new short[VoiceFormat.MaxFrameSamples];
    private WrapAround _wrap;
    private bool _playing;
    private long _playTimestamp;
    private long _lastPlayedSequence = long.MinValue;
    private long _firstSequence = long.MinValue;
    private long _highestSequence = long.MinValue;
    private int _lastFrameSamples = DefaultFrameSamples;
    private int _underrunSamples;
    private long _stallSamples;
    private Counts _counts;

    public JitterBuffer(VoiceDecoder decoder, JitterBufferOptions? options = null)
    {
        _decoder = decoder;
        _options = options ?? new JitterBufferOptions();
        _delay = new ArrivalDelayTracker(_options.DelayWindowPackets, _options.DelayPercentile);
        _packets = new List<BufferedPacket>(_options.CapacityPackets + 1);
    }

    /// <summary>Delay the buffer aims to hold: the arrival-delay percentile plus one frame, within the configured bounds.</summary>
    public double TargetDelayMilliseconds => Math.Clamp(
        _delay.DelaySpreadMilliseconds() + (_lastFrameSamples / (double)VoiceFormat.SamplesPerMillisecond),
        _options.MinDelayMilliseconds,
        _options.MaxDelayMilliseconds);

    /// <summary>Audio buffered ahead of the playout point, in ms.</summary>
    public double BufferedMilliseconds
    {
        get
        {
            if (_packets.Count == 0)
            {
                return 0;
            }

            var newest = _packets[^1];
            var start = _playing ? _playTimestamp : _packets[0].Timestamp;
            return Math.Max(0, newest.Timestamp + newest.DurationSamples - start) / (double)VoiceFormat.SamplesPerMillisecond;
        }
    }

    public JitterBufferStatistics Statistics => new()
    {
        PacketsReceived = _counts.Received,
        PacketsExpected = _firstSequence == long.MinValue ? 0 : _highestSequence - _firstSequence + 1,
        Duplicates = _counts.Duplicates,
        Late = _counts.Late,
        Malformed = _counts.Malformed,
        FramesDecoded = _counts.Decoded,
        FramesRecoveredFec = _counts.RecoveredFec,
        FramesRecoveredRedundancy = _counts.RecoveredRedundancy,
        FramesConcealed = _counts.Concealed,
        FramesUnderrun = _counts.Underrun,
        FramesStalled = _counts.Stalled,
        FramesSilence = _counts.Silence,
        FramesSkippedForCatchUp = _counts.Skipped,
        LossBursts = _counts.LossBursts,
        LostMilliseconds = _counts.LostMilliseconds,
        JitterMilliseconds = _delay.JitterMilliseconds,
        TargetDelayMilliseconds = TargetDelayMilliseconds,
        BufferedMilliseconds = BufferedMilliseconds,
    };

    /// <summary>Accepts one received packet; <paramref name="arrivalMilliseconds"/> is the receiver's monotonic clock.</summary>
    public JitterPushResult Push(ReadOnlySpan<byte> packet, double arrivalMilliseconds)
    {
        if (!AudioPacketFormat.TryRead(packet, out var reader, out _))
        {
            _counts.Malformed++;
            return JitterPushResult.Malformed;
        }

        var header = reader.Header;
        var (sequence, timestamp) = _wrap.Unwrap(header.Sequence, header.Timestamp);
        if (_firstSequence == long.MinValue || sequence < _firstSequence)
        {
            _firstSequence = sequence;
        }

        if (_highestSequence != long.MinValue && sequence > _highestSequence + 1)
        {
            var missing = sequence - _highestSequence - 1;
            _counts.LossBursts++;
            _counts.LostMilliseconds += missing * header.DurationMilliseconds;
        }

        _highestSequence = Math.Max(_highestSequence, sequence);
        if (_playing && timestamp < _playTimestamp)
        {
            _counts.Received++;
            _counts.Late++;
            return JitterPushResult.Late;
        }

        var index = _packets.Count;
        while (index > 0 && _packets[index - 1].Timestamp >= timestamp)
        {
            index--;
            if (_packets[index].Sequence == sequence)
            {
                _counts.Duplicates++;
                return JitterPushResult.Duplicate;
            }
        }

        _counts.Received++;
        _delay.Record(arrivalMilliseconds, timestamp / (double)VoiceFormat.SamplesPerMillisecond);
        var buffer = ArrayPool<byte>.Shared.Rent(packet.Length);
        packet.CopyTo(buffer);
        _packets.Insert(index, new BufferedPacket(sequence, timestamp, header.DurationSamples, header.Level, buffer, packet.Length));
        if (_packets.Count > _options.CapacityPackets)
        {
            SkipOldest();
        }

        return JitterPushResult.Accepted;
    }

    /// <summary>
    /// Produces the next frame of audio into <paramref name="output"/> (at least 120 ms of room) and says what it
    /// was. Call it at the playout cadence; the samples returned are what the device should play next.
    /// </summary>
    public PlayoutFrame Pull(Span<short> output)
    {
        if (output.Length < VoiceFormat.MaxFrameSamples)
        {
            throw new ArgumentException($"The output needs room for {VoiceFormat.MaxFrameSamples} samples (120 ms).", nameof(output));
        }

        if (!_playing)
        {
            if (_packets.Count == 0 || BufferedMilliseconds < TargetDelayMilliseconds)
            {
                output[.._lastFrameSamples].Clear();
                return new PlayoutFrame(PlayoutKind.Buffering, -1, _lastFrameSamples);
            }

            _playing = true;
            _playTimestamp = _packets[0].Timestamp;
        }

        CatchUp();
        if (_packets.Count == 0)
        {
            return PlayUnderrun(output);
        }

        var head = _packets[0];
        CountStall(head);
        _underrunSamples = 0;
        if (head.Timestamp == _playTimestamp)
        {
            _packets.RemoveAt(0);
            var samples = DecodeAndRelease(head, output);
            _counts.Decoded++;
            return Advance(PlayoutKind.Decoded, samples);
        }

        var gap = (int)Math.Min(head.Timestamp - _playTimestamp, VoiceFormat.MaxFrameSamples);
        var isDtxSilence = _lastPlayedSequence != long.MinValue && head.Sequence == _lastPlayedSequence + 1;
        if (isDtxSilence)
        {
            var silence = _decoder.Conceal(output, Math.Min(gap, _lastFrameSamples));
            _counts.Silence++;
            return Advance(PlayoutKind.Silence, silence);
        }

        return PlayLoss(head, gap, output);
    }

    public void Dispose()
    {
        foreach (var packet in _packets)
        {
            ArrayPool<byte>.Shared.Return(packet.Buffer);
        }

        _packets.Clear();
    }

    private PlayoutFrame PlayLoss(BufferedPacket head, int gap, Span<short> output)
    {
        if (TryDecodeRedundant(output, out var redundantSamples))
        {
            _counts.RecoveredRedundancy++;
            return Advance(PlayoutKind.RecoveredRedundancy, redundantSamples);
        }

        var slot = Math.Min(gap, head.DurationSamples);
        if (gap == slot && OpusPacketInspector.HasInbandFec(head.Primary))
        {
            var recovered = _decoder.DecodeFec(head.Primary, output, slot);
            _counts.RecoveredFec++;
            return Advance(PlayoutKind.RecoveredFec, recovered);
        }

        var concealed = _decoder.Conceal(output, slot);
        _counts.Concealed++;
        return Advance(PlayoutKind.Concealed, concealed);
    }

    private PlayoutFrame PlayUnderrun(Span<short> output)
    {
        var samples = _lastFrameSamples;
        _counts.Underrun++;
        _stallSamples += samples;
        if (_underrunSamples < _options.MaxUnderrunConcealMilliseconds * VoiceFormat.SamplesPerMillisecond)
        {
            _underrunSamples += samples;
            _decoder.Conceal(output, samples);
        }
        else
        {
            output[..samples].Clear();
        }

        return new PlayoutFrame(PlayoutKind.Underrun, -1, samples);
    }

    private bool TryDecodeRedundant(Span<short> output, out int samples)
    {
        samples = 0;
        foreach (var packet in _packets)
        {
            if (!AudioPacketFormat.TryRead(packet.Bytes, out var reader, out _))
            {
                continue;
            }

            for (var block = 0; block < reader.RedundantCount; block++)
            {
                if (reader.TryGetBlock(block, out var frame, out var timestamp, out _, out _)
                    && _wrap.UnwrapTimestampNear(timestamp) == _playTimestamp)
                {
                    samples = _decoder.Decode(frame, output);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Ends an underrun when media arrives again: of the time spent waiting, what the media clock did not also move on
    /// by (a pause the speaker made: DTX silence, the end of a talk spurt) was a stall, frames not played on time.
    /// </summary>
    private void CountStall(BufferedPacket head)
    {
        if (_stallSamples == 0)
        {
            return;
        }

        var waited = _stallSamples - Math.Max(0, head.Timestamp - _playTimestamp);
        _stallSamples = 0;
        if (waited > 0)
        {
            _counts.Stalled += (waited + _lastFrameSamples - 1) / _lastFrameSamples;
        }
    }

    /// <summary>Skips frames while the backlog exceeds the target: quiet ones first, any past the hard limit.</summary>
    private void CatchUp()
    {
        while (_packets.Count > 1 && _packets[0].Timestamp == _playTimestamp)
        {
            var excess = BufferedMilliseconds - TargetDelayMilliseconds;
            var head = _packets[0];
            var quiet = head.Level >= AudioLevel.SpeakingThreshold;
            if (excess <= _options.HardCatchUpExcessMilliseconds && !(quiet && excess > _options.QuietCatchUpExcessMilliseconds))
            {
                return;
            }

            SkipOldest();
        }
    }

    /// <summary>Decodes the oldest packet without playing it, so the decoder state stays continuous.</summary>
    private void SkipOldest()
    {
        var head = _packets[0];
        _packets.RemoveAt(0);
        DecodeAndRelease(head, _discard);
        _counts.Skipped++;
        if (_playing)
        {
            _playTimestamp = Math.Max(_playTimestamp, head.Timestamp + head.DurationSamples);
        }

        _lastPlayedSequence = head.Sequence;
    }

    private int DecodeAndRelease(BufferedPacket packet, Span<short> output)
    {
        try
        {
            _lastPlayedSequence = packet.Sequence;
            return AudioPacketFormat.TryRead(packet.Bytes, out var reader, out _) ? _decoder.Decode(reader.Primary, output) : 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packet.Buffer);
        }
    }

    private PlayoutFrame Advance(PlayoutKind kind, int samples)
    {
        var timestamp = _playTimestamp;
        _playTimestamp += samples;
        if (samples > 0 && kind != PlayoutKind.Silence)
        {
            _lastFrameSamples = samples;
        }

        return new PlayoutFrame(kind, timestamp, samples);
    }

    private readonly record struct BufferedPacket(long Sequence, long Timestamp, int DurationSamples, byte Level, byte[] Buffer, int Length)
    {
        public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

        public ReadOnlySpan<byte> Primary => AudioPacketFormat.TryRead(Bytes, out var reader, out _) ? reader.Primary : [];
    }

    private struct Counts
    {
        public long Received;
        public long Duplicates;
        public long Late;
        public long Malformed;
        public long Decoded;
        public long RecoveredFec;
        public long RecoveredRedundancy;
        public long Concealed;
        public long Underrun;
        public long Stalled;
        public long Silence;
        public long Skipped;
        public long LossBursts;
        public long LostMilliseconds;
    }
}

/// <summary>What <see cref="JitterBuffer.Push"/> did with a packet.</summary>
public enum JitterPushResult
{
    Accepted,
    Duplicate,
    Late,
    Malformed,
}
