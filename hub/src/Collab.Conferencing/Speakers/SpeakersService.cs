using Collab.Conferencing.Audio;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Speakers;

/// <summary>
/// The list of speakers (a UN-style speakers' list): participants ask to speak and withdraw; a moderator gives the floor
/// to the next in order, or to one they choose, through the floor (so it works in open-mic and moderated meetings
/// alike: the grant counts against the maximum of speakers and refuses a muted person), which also ends the list's
/// previous speaker's turn. The list is separate from raised hands: lowering every hand leaves it as it is, and a
/// hand raised in a moderated meeting is not a place on it. Who may give the floor is the hub's rule (moderators).
/// </summary>
public sealed class SpeakersService(
    ISpeakerStore store,
    ConnectionRegistry registry,
    FloorService floor,
    FloorCache floorCache,
    MeetingGuard guard,
    SpeakersPushes pushes,
    IOptions<ConferencingOptions> options,
    TimeProvider time)
{
    public const int MaxTimeLimitSeconds = 3_600;

    // A removed participant still on the list is skipped when taken: at most this many in one call.
    private const int MaxSkipped = 16;

    public async Task<SpeakersView> GetAsync(string connectionId, CancellationToken cancellationToken = default) =>
        View(await store.GetAsync(registry.Require(connectionId).MeetingId, cancellationToken));

    public async Task<SpeakersView> AskAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var max = options.Value.MaxSpeakersQueue;
        var (change, state) = await store.EnqueueAsync(session.MeetingId, session.ParticipantId, Now(), max, cancellationToken);
        return change == SpeakersChange.Full
            ? throw ConferencingException.Conflict($"The list of speakers is full ({max} people wait); try again when it is shorter.")
            : Changed(session.MeetingId, change, state);
    }

    public async Task<SpeakersView> WithdrawAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var (change, state) = await store.DequeueAsync(session.MeetingId, session.ParticipantId, cancellationToken);
        return Changed(session.MeetingId, change, state);
    }

    /// <summary>A moderator takes someone off the list (unchanged when they are not on it).</summary>
    public async Task<SpeakersView> RemoveAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var (change, state) = await store.DequeueAsync(session.MeetingId, Inputs.Id(participantId, "participantId"), cancellationToken);
        return Changed(session.MeetingId, change, state);
    }

    /// <summary>
    /// Gives the floor to the next on the list (<paramref name="participantId"/> null) or to the one chosen (taken off
    /// the list if on it): the list's previous speaker loses the floor, the new one gets it. A grant the floor refuses
    /// (muted, floor full) puts the person back at the head and reports why.
    /// </summary>
    public async Task<SpeakersView> GiveFloorAsync(string connectionId, string? participantId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var chosen = participantId is null ? null : Inputs.Id(participantId, "participantId");
        for (var skipped = 0; ; skipped++)
        {
            var (taken, _) = await store.TakeAsync(session.MeetingId, chosen, cancellationToken);
            if (taken is null)
            {
                throw ConferencingException.Conflict("No one is waiting on the list of speakers.");
            }

            if (chosen is null && skipped < MaxSkipped && !await IsParticipantAsync(session, taken.ParticipantId, cancellationToken))
            {
                continue; // removed from the meeting while waiting
            }

            try
            {
                var current = await floorCache.GetAsync(session.MeetingId, cancellationToken);
                if (taken.PreviousSpeakerId is { } previous && previous != taken.ParticipantId && current.Speakers.Contains(previous))
                {
                    await floor.RevokeAsync(connectionId, previous, cancellationToken);
                }

                await floor.GrantAsync(connectionId, taken.ParticipantId, cancellationToken);
            }
            catch (ConferencingException)
            {
                await store.RestoreAsync(session.MeetingId, taken, cancellationToken);
                pushes.Changed(session.MeetingId);
                throw;
            }

            pushes.Changed(session.MeetingId);
            return View(await store.GetAsync(session.MeetingId, cancellationToken));
        }
    }

    public async Task<SpeakersView> SetTimeLimitAsync(string connectionId, int seconds, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        if (seconds is < 0 or > MaxTimeLimitSeconds)
        {
            throw ConferencingException.Invalid($"seconds must be 0 (no limit) to {MaxTimeLimitSeconds}; it was {seconds}.");
        }

        var state = await store.SetTimeLimitAsync(session.MeetingId, seconds, cancellationToken);
        pushes.Changed(session.MeetingId);
        return View(state);
    }

    private async Task<bool> IsParticipantAsync(Meetings.Session session, string participantId, CancellationToken cancellationToken)
    {
        try
        {
            await guard.EnsureParticipantAsync(session, participantId, "participantId", cancellationToken);
            return true;
        }
        catch (ConferencingException exception) when (exception.Error == ConferencingError.NotFound)
        {
            return false;
        }
    }

    private SpeakersView Changed(string meetingId, SpeakersChange change, SpeakersState state)
    {
        if (change == SpeakersChange.Changed)
        {
            pushes.Changed(meetingId);
        }

        return View(state);
    }

    private SpeakersView View(SpeakersState state) => state.View(Now());

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
