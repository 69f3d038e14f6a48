using Collab.Codec;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// What one virtual speaker said and when, shared with the sampled listeners (same process, same clock): the run time
/// each frame was spoken, looked up by its media timestamp for mouth-to-ear delay and by its sequence number for relay
/// latency, and the speech itself, so a listener can score what it played against what was sent.
/// </summary>
internal sealed class SpokenAudio(short[] speech, int speechOffset)
{
    /// <summary>One slot per 10 ms of media time (every frame is at least 20 ms), wrapping after ~11 minutes.</summary>
    private const int Slots = 65_536;
    private const int SamplesPerSlot = VoiceFormat.SamplesPerMillisecond * 10;
    private readonly double[] _spokenAt = new double[Slots];
    private readonly double[] _sentAt = new double[65_536];
    private volatile int _lookaheadSamples;

    /// <summary>Codec delay of the speaker's encoder: played samples lag the media timestamp by this much.</summary>
    public int LookaheadSamples
    {
        get => _lookaheadSamples;
        set => _lookaheadSamples = value;
    }

    /// <summary>The frame starting at <paramref name="timestamp"/> began to be spoken at <paramref name="runMilliseconds"/>.</summary>
    public void Spoken(uint timestamp, double runMilliseconds) => Volatile.Write(ref _spokenAt[timestamp / SamplesPerSlot % Slots], runMilliseconds);

    /// <summary>The packet with <paramref name="sequence"/> left the speaker at <paramref name="runMilliseconds"/>.</summary>
    public void Sent(ushort sequence, double runMilliseconds) => Volatile.Write(ref _sentAt[sequence], runMilliseconds);

    public double SpokenAt(long timestamp) => Volatile.Read(ref _spokenAt[timestamp / SamplesPerSlot % Slots]);

    public double SentAt(ushort sequence) => Volatile.Read(ref _sentAt[sequence]);

    /// <summary>The clean speech the speaker encoded for media time <paramref name="timestamp"/> (its loop over the sample).</summary>
    public float Reference(long timestamp) => speech[(int)((speechOffset + timestamp) % speech.Length)] / 32768f;
}
