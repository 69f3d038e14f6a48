namespace Collab.Codec.Packets;

/// <summary>
/// The fixed fields of a Collab audio packet (see <see cref="AudioPacketFormat"/>).
/// </summary>
/// <param name="Sequence">Per-speaker packet counter, wrapping at 65,536; a jump means lost packets.</param>
/// <param name="Timestamp">Media time of the frame's first sample on the 48 kHz clock, wrapping at 2^32; a jump with no sequence gap is DTX silence.</param>
/// <param name="DurationMilliseconds">Duration of the primary frame (20, 40 or 60; readers accept 10–120).</param>
/// <param name="Level">Audio level in -dBov (0 loudest, 127 silence), RFC 6464 style, so the hub finds active speakers without decoding.</param>
/// <param name="VoiceActivity">The sender's voice-activity decision for this frame.</param>
/// <param name="ProfileId">The ladder rung the frame was encoded with.</param>
public readonly record struct AudioPacketHeader(
    ushort Sequence,
    uint Timestamp,
    byte DurationMilliseconds,
    byte Level,
    bool VoiceActivity,
    byte ProfileId)
{
    public int DurationSamples => DurationMilliseconds * VoiceFormat.SamplesPerMillisecond;
}
