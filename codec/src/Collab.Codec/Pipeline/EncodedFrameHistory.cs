namespace Collab.Codec.Pipeline;

/// <summary>The last few encoded frames a sender may repeat as redundancy; fixed buffers, no allocation per frame.</summary>
internal sealed class EncodedFrameHistory(int capacity)
{
    private readonly byte[][] _frames = [.. Enumerable.Range(0, capacity).Select(_ => new byte[VoiceFormat.MaxEncodedFrameBytes])];
    private readonly int[] _lengths = new int[capacity];
    private readonly uint[] _timestamps = new uint[capacity];
    private readonly int[] _durations = new int[capacity];
    private int _newest = -1;

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Add(ReadOnlySpan<byte> frame, uint timestamp, int durationMilliseconds)
    {
        _newest = (_newest + 1) % _frames.Length;
        frame.CopyTo(_frames[_newest]);
        _lengths[_newest] = frame.Length;
        _timestamps[_newest] = timestamp;
        _durations[_newest] = durationMilliseconds;
        Count = Math.Min(Count + 1, _frames.Length);
    }

    /// <summary>
    /// The frame <paramref name="distance"/> back (1 = newest), only when the frames from it up to
    /// <paramref name="nextTimestamp"/> are contiguous, as the packet format requires, and (when
    /// <paramref name="uniformMilliseconds"/> is set, for a spread copy) all of that duration.
    /// </summary>
    public bool TryGet(int distance, uint nextTimestamp, out ReadOnlySpan<byte> frame, out int durationMilliseconds, int uniformMilliseconds = 0)
    {
        frame = default;
        durationMilliseconds = 0;
        if (distance < 1 || distance > Count)
        {
            return false;
        }

        var expectedEnd = nextTimestamp;
        for (var back = 1; back <= distance; back++)
        {
            var index = (_newest - back + 1 + _frames.Length) % _frames.Length;
            var end = _timestamps[index] + (uint)(_durations[index] * VoiceFormat.SamplesPerMillisecond);
            if (end != expectedEnd || (uniformMilliseconds != 0 && _durations[index] != uniformMilliseconds))
            {
                return false;
            }

            expectedEnd = _timestamps[index];
            if (back == distance)
            {
                frame = _frames[index].AsSpan(0, _lengths[index]);
                durationMilliseconds = _durations[index];
            }
        }

        return true;
    }
}
