

using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>How a meeting hands out the floor (the right to publish audio).</summary>
public enum FloorMode
{
    /// <summary>Anyone may take the floor while fewer than the maximum number of speakers hold it.</summary>
    OpenMic,

    /// <summary>Participants ask (which raises their hand); a moderator grants and revokes.</summary>
    Moderated,
}

/// <summary>Who may speak in a meeting, as every member sees it.</summary>
public sealed record FloorView(
    FloorMode Mode,
    int MaxSpeakers,
    IReadOnlyList<string> Speakers,
    IReadOnlyList<string> Requests,
    IReadOnlyList<string> Muted)
{
    public bool CanPublish(string participantId) => Speakers.Contains(participantId) && !Muted.Contains(participantId);
}

public sealed record SetFloorModeRequest(FloorMode Mode, int MaxSpeakers);

/// <summary>A listener's reception of one speaker over the last interval (its jitter buffer's figures).</summary>
public sealed record ReceptionReportRequest(
    [property: MeetingParticipant] string? SpeakerId,
    double LossFraction,
    double MeanLossBurstMs,
    double LateFraction,
    double JitterMs,
    double ConcealedFraction,
    int Packets);

/// <summary>
/// What a speaker's listeners experience (the chosen percentile listener), the hub-measured round trip and how long the
/// speaker's audio waited in its uplink (<see cref="UplinkDelayMs"/>: the sign of a link that cannot carry the rate);
/// the speaker feeds it to its link adapter and echoes <see cref="SentAtMs"/> with <c>AckLinkFeedback</c>.
/// </summary>
public sealed record LinkFeedbackView(
    int Listeners,
    double LossFraction,
    double MeanLossBurstMs,
    double LateFraction,
    double JitterMs,
    double ConcealedFraction,
    double WorstLossFraction,
    double RoundTripMs,
    long SentAtMs,
    double UplinkDelayMs = 0);
