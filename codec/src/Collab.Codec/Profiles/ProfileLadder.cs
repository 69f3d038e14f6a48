namespace Collab.Codec.Profiles;

/// <summary>
/// The voice ladder, cheapest and most robust rung first. Each rung's choice of bitrate, band, frame size and
/// protection follows measurements on the committed speech sample (codec/README.md has the table and commands):
/// in-band FEC (LBRR) engages only from 20 kb/s (native libopus 1.3; 16 kb/s narrowband in the managed 1.1 port) and in
/// wideband from 24 kb/s; below that, and under heavy loss at any rate, copies of earlier frames (redundancy) protect
/// better per bit, and against bursts two copies. Sixty-millisecond frames halve the per-message overhead that
/// dominates SignalR's cost at low bitrates.
/// Larger frames cut the per-message overhead that dominates SignalR's cost at low bitrates.
/// </summary>
public static class ProfileLadder
{
    /// <summary>2G/GPRS uplinks and saturated links: 6 kb/s narrowband, 60 ms frames sent two per message.</summary>
    public static readonly VoiceProfile Lifeline = new(0, "lifeline", 6_000, 60, AudioBandwidth.Narrowband, 8, InbandFec: false, ExpectedLossPercent: 0, RedundantFrames: 0, Dtx: true, Vbr: true, FramesPerMessage: 2);

    /// <summary>Thin, lossy links (EDGE): 8 kb/s narrowband, each 60 ms packet also carrying the previous frame.</summary>
    public static readonly VoiceProfile NarrowRedundant = new(1, "narrow-red", 8_000, 60, AudioBandwidth.Narrowband, 8, InbandFec: false, ExpectedLossPercent: 10, RedundantFrames: 1, Dtx: true, Vbr: true, FramesPerMessage: 1);

    /// <summary>Heavy or bursty loss: 7 kb/s narrowband carrying the two previous 60 ms frames (covers 120 ms bursts).</summary>
    public static readonly VoiceProfile BurstRedundant = new(2, "burst-red", 7_000, 60, AudioBandwidth.Narrowband, 8, InbandFec: false, ExpectedLossPercent: 20, RedundantFrames: 2, Dtx: true, Vbr: true, FramesPerMessage: 1);

    /// <summary>Moderate loss: 10 kb/s wideband, each 60 ms packet also carrying the previous frame.</summary>
    public static readonly VoiceProfile WideRedundant = new(3, "wide-red", 10_000, 60, AudioBandwidth.Wideband, 8, InbandFec: false, ExpectedLossPercent: 10, RedundantFrames: 1, Dtx: true, Vbr: true, FramesPerMessage: 1);

    /// <summary>
    /// The default: 16 kb/s wideband in 40 ms frames, loss-aware, no extra protection, two frames per message (one
    /// frame per message would spend 9 kbit/s on SignalR framing alone and break the 24 kbit/s budget per listener).
    /// </summary>
    public static readonly VoiceProfile Standard = new(4, "standard", 16_000, 40, AudioBandwidth.Wideband, 8, InbandFec: false, ExpectedLossPercent: 0, RedundantFrames: 0, Dtx: true, Vbr: true, FramesPerMessage: 2);

    /// <summary>Light loss with bandwidth to spare: 24 kb/s wideband with in-band FEC, the lowest wideband rate where LBRR engages.</summary>
    public static readonly VoiceProfile WideFec = new(5, "wide-fec", 24_000, 40, AudioBandwidth.Wideband, 8, InbandFec: true, ExpectedLossPercent: 5, RedundantFrames: 0, Dtx: true, Vbr: true, FramesPerMessage: 1);

    /// <summary>Good links: 32 kb/s super-wideband in 20 ms frames.</summary>
    public static readonly VoiceProfile Clear = new(6, "clear", 32_000, 20, AudioBandwidth.SuperWideband, 8, InbandFec: false, ExpectedLossPercent: 0, RedundantFrames: 0, Dtx: true, Vbr: true, FramesPerMessage: 1);

    /// <summary>
    /// Heavy loss (20 % and more, random or in bursts): 10 kb/s narrowband in 120 ms frames, each packet also carrying
    /// an exact copy of the previous frame and a 6 kb/s re-encoding of the one before (240 ms of cover), one frame per
    /// message. Of the schemes compared (<c>collab-codec redundancy</c>, codec/README.md) the only one to hold STOI
    /// 0.95 at 20 % random and 0.92 at 20 % bursty loss on both speech samples within 24 kb/s of payload; long frames
    /// halve the header bytes and the per-message overhead, and a 60 ms burst rarely takes two of them. The price is
    /// latency: about 120 ms more than a 60 ms rung.
    /// </summary>
    public static readonly VoiceProfile HeavyRedundant = new(7, "heavy-red", 10_000, 120, AudioBandwidth.Narrowband, 8, InbandFec: false, ExpectedLossPercent: 20, RedundantFrames: 2, Dtx: true, Vbr: true, FramesPerMessage: 1)
    {
        Redundancy = [new RedundantCopy(2, 6_000), new RedundantCopy(1)],
    };

    /// <summary>Every rung, ordered by id.</summary>
    public static IReadOnlyList<VoiceProfile> All { get; } = [Lifeline, NarrowRedundant, BurstRedundant, WideRedundant, Standard, WideFec, Clear, HeavyRedundant];

    /// <summary>The profile a new speaker starts with, before any link feedback.</summary>
    public static VoiceProfile Default => Standard;

    public static VoiceProfile ById(byte id) =>
        id < All.Count ? All[id] : throw new ArgumentOutOfRangeException(nameof(id), id, $"No voice profile has id {id}.");

    public static bool TryGetByName(string name, out VoiceProfile profile)
    {
        profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return profile is not null;
    }
}
