using Collab.Codec.Adaptation;

namespace Collab.Codec.Jitter;

/// <summary>Running counts of a jitter buffer, the raw material of receiver reports.</summary>
public sealed record JitterBufferStatistics
{
    public long PacketsReceived { get; init; }

    /// <summary>Packets the sequence numbers say were sent, from the first received to the highest.</summary>
    public long PacketsExpected { get; init; }

    public long Duplicates { get; init; }

    /// <summary>Packets that arrived after their slot was played (concealed) or skipped.</summary>
    public long Late { get; init; }

    public long Malformed { get; init; }

    public long FramesDecoded { get; init; }

    public long FramesRecoveredFec { get; init; }

    public long FramesRecoveredRedundancy { get; init; }

    public long FramesConcealed { get; init; }

    /// <summary>Pulls made while the buffer was empty (a stall, or a pause in the speaker's media).</summary>
    public long FramesUnderrun { get; init; }

    /// <summary>
    /// Frames not played on time: of the underruns, the ones the speaker's media clock did not account for (a pause
    /// the speaker made is not a stall), counted when media arrives again.
    /// </summary>
    public long FramesStalled { get; init; }

    public long FramesSilence { get; init; }

    /// <summary>Frames skipped (decoded, not played) to bring latency back to the target after a stall.</summary>
    public long FramesSkippedForCatchUp { get; init; }

    /// <summary>Runs of consecutive lost packets seen in the sequence numbers.</summary>
    public long LossBursts { get; init; }

    /// <summary>Media time of the packets lost in transit (estimated from the next packet's duration).</summary>
    public long LostMilliseconds { get; init; }

    /// <summary>Mean length of a loss burst in media time.</summary>
    public double MeanLossBurstMilliseconds => LossBursts == 0 ? 0 : LostMilliseconds / (double)LossBursts;

    /// <summary>Packets lost in transit by sequence numbers (before any recovery), 0–1.</summary>
    public double LossFraction => PacketsExpected == 0 ? 0 : Math.Max(0, PacketsExpected - PacketsReceived) / (double)PacketsExpected;

    /// <summary>Interarrival jitter as RFC 3550 defines it, in ms.</summary>
    public double JitterMilliseconds { get; init; }

    public double TargetDelayMilliseconds { get; init; }

    /// <summary>Audio waiting to be played: the buffer's share of mouth-to-ear delay.</summary>
    public double BufferedMilliseconds { get; init; }

    /// <summary>Share of media frames (stalls included) that were not the original (concealed, stalled, FEC, redundancy), 0–1.</summary>
    public double ConcealmentFraction
    {
        get
        {
            var media = FramesDecoded + FramesRecoveredFec + FramesRecoveredRedundancy + FramesConcealed + FramesStalled;
            return media == 0 ? 0 : (FramesConcealed + FramesStalled + FramesRecoveredFec + FramesRecoveredRedundancy) / (double)media;
        }
    }

    /// <summary>Share of media frames (stalls included) that were concealed or not played on time, 0–1: what recovery could not save.</summary>
    public double ConcealedFraction
    {
        get
        {
            var media = FramesDecoded + FramesRecoveredFec + FramesRecoveredRedundancy + FramesConcealed + FramesStalled;
            return media == 0 ? 0 : (FramesConcealed + FramesStalled) / (double)media;
        }
    }

    /// <summary>The reception report for the interval since <paramref name="earlier"/>, a snapshot of the same buffer.</summary>
    public ReceptionReport ReportSince(JitterBufferStatistics earlier)
    {
        var expected = PacketsExpected - earlier.PacketsExpected;
        var received = PacketsReceived - earlier.PacketsReceived;
        var bursts = LossBursts - earlier.LossBursts;
        var media = FramesDecoded + FramesRecoveredFec + FramesRecoveredRedundancy + FramesConcealed + FramesStalled
            - (earlier.FramesDecoded + earlier.FramesRecoveredFec + earlier.FramesRecoveredRedundancy + earlier.FramesConcealed + earlier.FramesStalled);
        return new ReceptionReport(
            expected <= 0 ? 0 : Math.Clamp((expected - received) / (double)expected, 0, 1),
            bursts == 0 ? 0 : (LostMilliseconds - earlier.LostMilliseconds) / (double)bursts,
            received <= 0 ? 0 : Math.Clamp((Late - earlier.Late) / (double)received, 0, 1),
            JitterMilliseconds,
            media <= 0 ? 0 : Math.Clamp((FramesConcealed + FramesStalled - earlier.FramesConcealed - earlier.FramesStalled) / (double)media, 0, 1),
            (int)Math.Clamp(expected, 0, int.MaxValue));
    }
}
