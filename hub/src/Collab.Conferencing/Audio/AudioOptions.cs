using System.ComponentModel.DataAnnotations;

namespace Collab.Conferencing.Audio;

/// <summary>Voice relay limits and pacing (section <c>Collab:Audio</c>).</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Collab:Audio";

    /// <summary>Speakers an open-mic meeting allows at once, until a moderator changes it.</summary>
    [Range(1, 10)]
    public int DefaultMaxSpeakers { get; set; } = 3;

    /// <summary>Batches queued per listener before the oldest is dropped: about a second of audio at most.</summary>
    [Range(2, 256)]
    public int ListenerQueueBatches { get; set; } = 16;

    /// <summary>How often speakers get link feedback.</summary>
    [Range(200, 60_000)]
    public int FeedbackIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>Listener percentile the feedback reports (0.9: adapt to the listener worse off than nine in ten).</summary>
    [Range(0.5, 1.0)]
    public double FeedbackPercentile { get; set; } = 0.9;

    /// <summary>A listener's report counts for this long after it arrives.</summary>
    [Range(1, 600)]
    public int ReportStaleSeconds { get; set; } = 10;

    /// <summary>How long a node trusts its cached view of a meeting's floor before reading it again.</summary>
    [Range(50, 10_000)]
    public int FloorCacheMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// Audio bytes a speaker may publish per second (token bucket, with four seconds' worth of burst). The top rung
    /// needs under 6 KB/s, so the default stops a flood without ever touching real speech.
    /// </summary>
    [Range(1_000, 100_000_000)]
    public int SpeakerBytesPerSecond { get; set; } = 8_000;
}
