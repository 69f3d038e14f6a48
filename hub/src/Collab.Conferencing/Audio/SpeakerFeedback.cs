using System.Collections.Concurrent;
using Collab.Codec.Adaptation;
using Microsoft.Extensions.Logging;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Audio;

/// <summary>
/// The speakers of this node and what their listeners report: reception reports travel the audio bus to the speaker's
/// node, are aggregated per speaker, and every feedback interval each speaker gets its link feedback (loss, lateness,
/// jitter, concealment, the round trip it acknowledged, its uplink delay) for its codec's adaptation.
/// </summary>
internal sealed partial class SpeakerFeedback(
    IAudioBus bus,
    IAudioSink sink,
    ConnectionRegistry registry,
    AudioOptions options,
    TimeProvider time,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, SpeakerState> _speakers = new(StringComparer.Ordinal);

    private TimeSpan Clock => TimeSpan.FromMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The speaker's state, touched by a batch that ends <paramref name="mediaEndMs"/> into its stream.</summary>
    public SpeakerState Track(Session session, double mediaEndMs)
    {
        var speaker = _speakers.GetOrAdd(session.ParticipantId, _ => new SpeakerState(session, options, time));
        speaker.Session = session;
        speaker.Touch(time.GetTimestamp());
        speaker.RecordArrival(Clock.TotalMilliseconds, mediaEndMs);
        return speaker;
    }

    /// <summary>The participant left: its speaker state goes if this was the connection it spoke from.</summary>
    public void Forget(Session session)
    {
        if (_speakers.TryGetValue(session.ParticipantId, out var speaker) && speaker.Session.ConnectionId == session.ConnectionId)
        {
            _speakers.TryRemove(session.ParticipantId, out _);
        }
    }

    public async Task ReportReceptionAsync(string connectionId, ReceptionReportRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        if (request is null)
        {
            throw ConferencingException.Invalid("Give a reception report.");
        }

        var speakerId = Meetings.Inputs.Id(request.SpeakerId, "speakerId");
        await bus.PublishReceptionAsync(session.ScopeId, speakerId, session.ParticipantId, request.ToReport(), cancellationToken);
    }

    public void Acknowledge(string connectionId, long sentAtMs)
    {
        var session = registry.Require(connectionId);
        if (_speakers.TryGetValue(session.ParticipantId, out var speaker))
        {
            speaker.RecordRoundTrip(time.GetUtcNow().ToUnixTimeMilliseconds() - sentAtMs);
        }
    }

    /// <summary>Sends every local speaker its link feedback; a speaker silent for the stale time is forgotten.</summary>
    public async Task SendAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var elapsed = Clock;
        foreach (var (participantId, speaker) in _speakers)
        {
            if (speaker.IdleFor(time.GetTimestamp()) > TimeSpan.FromSeconds(options.ReportStaleSeconds))
            {
                _speakers.TryRemove(participantId, out _);
                continue;
            }

            var reception = speaker.Reception.Snapshot(options.FeedbackPercentile, elapsed);
            var feedback = new LinkFeedbackView(
                reception.Listeners,
                reception.LossFraction,
                reception.MeanLossBurstMilliseconds,
                reception.LateFraction,
                reception.JitterMilliseconds,
                reception.ConcealedFraction,
                reception.WorstLossFraction,
                speaker.RoundTripMilliseconds,
                now.ToUnixTimeMilliseconds(),
                speaker.TakeUplinkDelayMilliseconds(elapsed.TotalMilliseconds));
            try
            {
                await sink.SendLinkFeedbackAsync(speaker.Session.ConnectionId, feedback, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                FeedbackFailed(logger, participantId, exception);
            }
        }
    }

    public void Record(string meetingId, string speakerId, string listenerId, ReceptionReport report)
    {
        if (_speakers.TryGetValue(speakerId, out var speaker) && speaker.Session.ScopeId == meetingId)
        {
            speaker.Reception.Record(listenerId, report, Clock);
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Link feedback to speaker {ParticipantId} failed")]
    private static partial void FeedbackFailed(ILogger logger, string participantId, Exception exception);
}
