namespace Collab.Conferencing.Audio;

/// <summary>
/// Shared floor state of each meeting. Every change is atomic across nodes (one Lua script in Redis), so two nodes
/// can never both hand out the last open-mic place.
/// </summary>
public interface IFloorStore
{
    Task<FloorView> GetAsync(string meetingId, int defaultMaxSpeakers, CancellationToken cancellationToken = default);

    /// <summary>Open-mic: takes the floor if there is room and the participant is not muted. Moderated: records a request.</summary>
    Task<(FloorRequestOutcome Outcome, FloorView Floor)> RequestAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default);

    /// <summary>A moderator hands the floor over (within the maximum); the participant's request is cleared.</summary>
    Task<(FloorRequestOutcome Outcome, FloorView Floor)> GrantAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default);

    /// <summary>Takes the floor (and any request) away; used by release, revoke and leave.</summary>
    Task<FloorView> ReleaseAsync(string meetingId, string participantId, int defaultMaxSpeakers, CancellationToken cancellationToken = default);

    /// <summary>Mutes (also taking the floor away) or unmutes a participant.</summary>
    Task<FloorView> SetMutedAsync(string meetingId, string participantId, bool muted, int defaultMaxSpeakers, CancellationToken cancellationToken = default);

    Task<FloorView> SetModeAsync(string meetingId, FloorMode mode, int maxSpeakers, CancellationToken cancellationToken = default);
}

public enum FloorRequestOutcome
{
    Granted,
    Requested,
    Full,
    Muted,
}
