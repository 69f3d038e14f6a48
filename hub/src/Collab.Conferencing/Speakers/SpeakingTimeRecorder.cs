using Collab.Conferencing.Audio;
using Collab.Conferencing.Participants;
using Microsoft.Extensions.Logging;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Speakers;

/// <summary>
/// Measures speaking time: after every floor change (a grant, a release, a revoke, a mute, a leave, the end) the store
/// compares who holds the floor with the turns it has open, on the hub's clock, so every way of losing the floor ends
/// the turn. Renamed people are pushed again with their new name. Best effort: a failed sync is logged and the next
/// floor change catches up (the turn then ends later than it did).
/// </summary>
public sealed partial class SpeakingTimeRecorder(ISpeakerStore store, SpeakersPushes pushes, TimeProvider time, ILogger<SpeakingTimeRecorder> logger)
    : IFloorObserver, IParticipantChangeObserver
{
    public async Task FloorChangedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default)
    {
        try
        {
            var (change, _) = await store.SyncTurnsAsync(meetingId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            if (change == SpeakersChange.Changed)
            {
                pushes.Changed(meetingId);
            }
        }
        catch (ConferencingException exception)
        {
            SyncFailed(logger, meetingId, exception);
        }
    }

    public async Task ParticipantChangedAsync(Participant participant, CancellationToken cancellationToken = default)
    {
        var state = await store.GetAsync(participant.MeetingId, cancellationToken);
        if (state.Queue.Any(entry => entry.ParticipantId == participant.Id) || state.Times.Any(entry => entry.ParticipantId == participant.Id))
        {
            await store.TouchAsync(participant.MeetingId, cancellationToken);
            pushes.Changed(participant.MeetingId);
        }
    }

    [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Measuring speaking time in meeting {MeetingId} failed; the next floor change catches up")]
    private static partial void SyncFailed(ILogger logger, string meetingId, Exception exception);
}
