using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Audio;

/// <summary>
/// Floor control: who may publish audio. Open-mic meetings let up to <c>MaxSpeakers</c> take the floor themselves;
/// moderated meetings turn a request into a raised hand that a moderator grants. Moderators can revoke and mute
/// anyone. Every change lands in the shared store first, then reaches every node's cache over the audio bus and every
/// member as <c>FloorUpdated</c>. Each discussion room has its own floor: a call acts on the floor of the caller's
/// scope (<see cref="Session.ScopeId"/>), so the store, cache and bus see a room as one more "meeting".
/// </summary>
public sealed class FloorService(
    ConnectionRegistry registry,
    IFloorStore store,
    FloorCache cache,
    IAudioBus bus,
    Pushes.MeetingPushes pushes,
    PresenceService presence,
    IOptions<AudioOptions> options,
    IEnumerable<IFloorObserver> observers) : IMembershipObserver, IMeetingEndObserver
{
    private int DefaultMax => options.Value.DefaultMaxSpeakers;

    public async Task<FloorView> GetAsync(string connectionId, CancellationToken cancellationToken = default) =>
        await cache.GetAsync(registry.Require(connectionId).ScopeId, cancellationToken);

    public async Task<FloorView> RequestAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var (outcome, floor) = await store.RequestAsync(session.ScopeId, session.ParticipantId, DefaultMax, cancellationToken);
        switch (outcome)
        {
            case FloorRequestOutcome.Muted:
                throw new ConferencingException(ConferencingError.Muted, "A moderator muted you; you cannot take the floor until they unmute you.");
            case FloorRequestOutcome.Full:
                throw new ConferencingException(ConferencingError.FloorFull, $"{floor.MaxSpeakers} people already hold the floor, the most this meeting allows; try again when one releases it.");
            case FloorRequestOutcome.Requested:
                await presence.SetHandAsync(connectionId, raised: true, cancellationToken);
                break;
            case FloorRequestOutcome.Granted:
            default:
                break;
        }

        return await PublishAsync(session.ScopeId, floor, cancellationToken);
    }

    public async Task<FloorView> ReleaseAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        return await PublishAsync(session.ScopeId, await store.ReleaseAsync(session.ScopeId, session.ParticipantId, DefaultMax, cancellationToken), cancellationToken);
    }

    public async Task<FloorView> GrantAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var target = Inputs.Id(participantId, "participantId");
        var (outcome, floor) = await store.GrantAsync(session.ScopeId, target, DefaultMax, cancellationToken);
        return outcome switch
        {
            FloorRequestOutcome.Muted => throw new ConferencingException(ConferencingError.Muted, "That participant is muted; unmute them first."),
            FloorRequestOutcome.Full => throw new ConferencingException(ConferencingError.FloorFull, $"{floor.MaxSpeakers} people already hold the floor; revoke someone's first or raise the maximum."),
            _ => await PublishAsync(session.ScopeId, floor, cancellationToken),
        };
    }

    public async Task<FloorView> RevokeAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var target = Inputs.Id(participantId, "participantId");
        return await PublishAsync(session.ScopeId, await store.ReleaseAsync(session.ScopeId, target, DefaultMax, cancellationToken), cancellationToken);
    }

    public async Task<FloorView> SetMutedAsync(string connectionId, string? participantId, bool muted, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var target = Inputs.Id(participantId, "participantId");
        return await PublishAsync(session.ScopeId, await store.SetMutedAsync(session.ScopeId, target, muted, DefaultMax, cancellationToken), cancellationToken);
    }

    /// <summary>Mutes every one of <paramref name="participantIds"/> (a moderator's "mute all"), publishing the floor once.</summary>
    public async Task<FloorView> MuteAllAsync(string meetingId, IReadOnlyCollection<string> participantIds, CancellationToken cancellationToken = default)
    {
        var floor = await store.GetAsync(meetingId, DefaultMax, cancellationToken);
        foreach (var participantId in participantIds.Where(id => !floor.Muted.Contains(id)).ToList())
        {
            floor = await store.SetMutedAsync(meetingId, participantId, muted: true, DefaultMax, cancellationToken);
        }

        return await PublishAsync(meetingId, floor, cancellationToken);
    }

    public async Task<FloorView> SetModeAsync(string connectionId, SetFloorModeRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        if (request is null || !Enum.IsDefined(request.Mode) || request.MaxSpeakers is < 1 or > 10)
        {
            throw ConferencingException.Invalid("Give a mode (OpenMic or Moderated) and a maximum of 1–10 speakers.");
        }

        return await PublishAsync(session.ScopeId, await store.SetModeAsync(session.ScopeId, request.Mode, request.MaxSpeakers, cancellationToken), cancellationToken);
    }

    /// <summary>Whether a participant may publish right now (from the cache: no store round trip per batch).</summary>
    public async ValueTask EnsureMayPublishAsync(Session session, CancellationToken cancellationToken = default)
    {
        var floor = await cache.GetAsync(session.ScopeId, cancellationToken);
        if (floor.Muted.Contains(session.ParticipantId))
        {
            throw new ConferencingException(ConferencingError.Muted, "A moderator muted you; your audio is not relayed.");
        }

        if (!floor.Speakers.Contains(session.ParticipantId))
        {
            throw new ConferencingException(ConferencingError.FloorRequired, "Take the floor (RequestFloor) before publishing audio.");
        }
    }

    public Task JoinedAsync(Session session, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>A participant who left (no connection remains) gives the floor back so others can speak.</summary>
    public async Task LeftAsync(Session session, bool participantGone, CancellationToken cancellationToken = default)
    {
        if (!participantGone)
        {
            return;
        }

        var floor = await cache.GetAsync(session.ScopeId, cancellationToken);
        if (floor.Speakers.Contains(session.ParticipantId) || floor.Requests.Contains(session.ParticipantId))
        {
            await PublishAsync(session.ScopeId, await store.ReleaseAsync(session.ScopeId, session.ParticipantId, DefaultMax, cancellationToken), cancellationToken);
        }
    }

    /// <summary>An ended meeting's floor is cleared at once, on every node (the bus carries it), so no audio is relayed after the end.</summary>
    public async Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var floor = await store.GetAsync(meetingId, DefaultMax, cancellationToken);
        foreach (var participantId in floor.Speakers.Concat(floor.Requests).Distinct(StringComparer.Ordinal).ToList())
        {
            floor = await store.ReleaseAsync(meetingId, participantId, DefaultMax, cancellationToken);
        }

        await PublishAsync(meetingId, floor, cancellationToken);
    }

    private async Task<FloorView> PublishAsync(string meetingId, FloorView floor, CancellationToken cancellationToken)
    {
        cache.Set(meetingId, floor);
        await bus.PublishFloorAsync(meetingId, floor, cancellationToken);
        await pushes.FloorUpdatedAsync(meetingId, floor, cancellationToken);
        foreach (var observer in observers)
        {
            await observer.FloorChangedAsync(meetingId, floor, cancellationToken);
        }

        return floor;
    }
}
