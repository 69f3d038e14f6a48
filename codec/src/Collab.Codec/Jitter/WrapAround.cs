namespace Collab.Codec.Jitter;

/// <summary>Unwraps 16-bit sequence numbers and 32-bit timestamps onto 64-bit counters (serial-number arithmetic).</summary>
internal struct WrapAround
{
    private long _lastSequence;
    private long _lastTimestamp;
    private bool _started;

    public (long Sequence, long Timestamp) Unwrap(ushort sequence, uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _lastSequence = sequence;
            _lastTimestamp = timestamp;
            return (sequence, timestamp);
        }

        var extendedSequence = _lastSequence + (short)(ushort)(sequence - (ushort)_lastSequence);
        var extendedTimestamp = _lastTimestamp + (int)(timestamp - (uint)_lastTimestamp);
        _lastSequence = Math.Max(_lastSequence, extendedSequence);
        _lastTimestamp = Math.Max(_lastTimestamp, extendedTimestamp);
        return (extendedSequence, extendedTimestamp);
    }

    /// <summary>Unwraps a timestamp near the last one seen without moving the reference (for redundant copies).</summary>
    public readonly long UnwrapTimestampNear(uint timestamp) => _lastTimestamp + (int)(timestamp - (uint)_lastTimestamp);
}
