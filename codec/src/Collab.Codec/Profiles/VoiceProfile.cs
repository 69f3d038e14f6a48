namespace Collab.Codec.Profiles;

/// <summary>
/// One rung of the voice ladder: everything the encoder and the packetizer need, plus what the rung costs.
/// Profiles are immutable and identified on the wire by <see cref="Id"/>.
/// </summary>
/// <param name="Id">Stable wire id (carried in every audio packet).</param>
/// <param name="Name">Stable name used in configuration, tools and reports.</param>
/// <param name="BitrateBitsPerSecond">Opus target bitrate of one frame's primary encoding.</param>
/// <param name="FrameMilliseconds">Opus frame duration: 20, 40, 60, 80 or 120 ms (the managed port joins 40 or 60 ms parts for the long ones).</param>
/// <param name="MaxBandwidth">Cap on the coded audio band.</param>
/// <param name="Complexity">Opus encoder complexity 0–10.</param>
/// <param name="InbandFec">Ask Opus for in-band FEC (LBRR); it only engages at some bitrate/bandwidth pairs.</param>
/// <param name="ExpectedLossPercent">Loss the encoder plans for (Opus <c>PacketLossPercent</c>); the adapter raises it to the measured loss.</param>
/// <param name="RedundantFrames">Copies of previous frames carried in each packet (RFC 2198-style), 0–2; <see cref="Redundancy"/> says which and how.</param>
/// <param name="Dtx">Discontinuous transmission: send almost nothing during silence.</param>
/// <param name="Vbr">Variable bitrate.</param>
/// <param name="FramesPerMessage">Packets the sender batches into one hub message, to spread per-message overhead.</param>
public sealed record VoiceProfile(
    byte Id,
    string Name,
    int BitrateBitsPerSecond,
    int FrameMilliseconds,
    AudioBandwidth MaxBandwidth,
    int Complexity,
    bool InbandFec,
    int ExpectedLossPercent,
    int RedundantFrames,
    bool Dtx,
    bool Vbr,
    int FramesPerMessage)
{
    /// <summary>
    /// What the redundant blocks carry, oldest first: which earlier frame (sequence distance) and whether an exact copy
    /// of it or a re-encoding at a lower bitrate. By default the <see cref="RedundantFrames"/> frames just before the
    /// primary, copied exactly.
    /// </summary>
    public IReadOnlyList<RedundantCopy> Redundancy { get; init; } = [.. Enumerable.Range(1, RedundantFrames).Reverse().Select(distance => new RedundantCopy(distance))];

    /// <summary>Whether the copies skip frames (the packets are then version 2, <see cref="Packets.AudioPacketFormat.SpreadVersion"/>).</summary>
    public bool SpreadsRedundancy => Redundancy.Select((copy, i) => copy.Distance != Redundancy.Count - i).Any(skips => skips);

    /// <summary>The bitrate of re-encoded copies, or null when every copy is exact.</summary>
    public int? RedundancyBitrateBitsPerSecond => Redundancy.Select(copy => copy.BitrateBitsPerSecond).FirstOrDefault(bitrate => bitrate is not null);

    /// <summary>Opus at 48 kHz: samples in one frame.</summary>
    public int SamplesPerFrame => VoiceFormat.SampleRate / 1000 * FrameMilliseconds;

    /// <summary>Hub messages per second while speaking.</summary>
    public double MessagesPerSecond => 1000.0 / (FrameMilliseconds * FramesPerMessage);

    /// <summary>Nominal codec payload while speaking: the primary frame plus its redundant copies.</summary>
    public double NominalPayloadKilobitsPerSecond => (BitrateBitsPerSecond + Redundancy.Sum(copy => copy.BitrateBitsPerSecond ?? BitrateBitsPerSecond)) / 1000.0;

    /// <summary>
    /// Nominal cost on the wire while speaking: payload, our packet headers, and the per-message overhead of
    /// SignalR over WebSocket, TLS and TCP/IP (<see cref="WireOverhead.BytesPerMessage"/>).
    /// </summary>
    public double NominalWireKilobitsPerSecond =>
        NominalPayloadKilobitsPerSecond
        + 1000.0 / FrameMilliseconds * AudioPacketHeaderBytes * 8 / 1000.0
        + MessagesPerSecond * WireOverhead.BytesPerMessage * 8 / 1000.0;

    private int AudioPacketHeaderBytes => Packets.AudioPacketFormat.HeaderBytes + (RedundantFrames * Packets.AudioPacketFormat.RedundancyBlockHeaderBytes);
}

/// <summary>One redundant block of a profile: the frame <paramref name="Distance"/> packets back.</summary>
/// <param name="Distance">Sequence distance back from the primary, 1–15.</param>
/// <param name="BitrateBitsPerSecond">Null for an exact copy of that frame; otherwise the bitrate of a second encoding of it.</param>
public sealed record RedundantCopy(int Distance, int? BitrateBitsPerSecond = null);
