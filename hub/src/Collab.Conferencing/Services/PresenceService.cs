using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Services;

/// <summary>
/// Who is present: entries are refreshed by the node that serves the participant and expire otherwise, so the
/// participants of a node that dies disappear within <see cref="ConferencingOptions.PresenceTimeoutSeconds"/> plus
/// one heartbeat interval.
/// </summary>
public sealed class PresenceService(
    IPresenceStore store,
    ConnectionRegistry registry,
    IMeetingNotifier notifier,
    ParticipantCountCoalescer counts,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<PresenceService> logger)
{
    private const int SweepBatch = 500;
    private const int HeartbeatBatch = 256;

    /// <summary>
    /// Makes the participant present (pushing its arrival when it is new) and returns how many are present now (see
    /// <see cref="IPresenceStore.CountAsync"/>), which a join also needs for the broadcast limit.
    /// </summary>
    public async Task<int> ArriveAsync(Session session, CancellationToken cancellationToken = default)
    {
        var view = new ParticipantView(session.ParticipantId, session.DisplayName, session.Role, HandRaised: false);
        var arrived = await store.UpsertAsync(session.MeetingId, new PresenceEntry(view, session.ConnectionId), ExpiresAt(), cancellationToken);
        var count = await store.CountAsync(session.MeetingId, cancellationToken);
        if (arrived)
        {
            var audience = Audience(session.MeetingId, count);
            await PushAsync("participant joined", session.MeetingId, () => notifier.ParticipantJoinedAsync(session.MeetingId, view, audience, cancellationToken));
        }

        return count;
    }

    /// <summary>Removes the participant once its last connection on this node is gone and this connection owns the entry.</summary>
    public async Task DepartAsync(Session session, CancellationToken cancellationToken = default)
    {
        if (registry.HasConnection(session.MeetingId, session.ParticipantId))
        {
            return;
        }

        if (await store.RemoveAsync(session.MeetingId, session.ParticipantId, session.ConnectionId, cancellationToken))
        {
            ConferencingLog.Left(logger, session.ParticipantId, session.MeetingId);
            var audience = await AudienceAsync(session.MeetingId, cancellationToken);
            await PushAsync("participant left", session.MeetingId, () => notifier.ParticipantLeftAsync(session.MeetingId, session.ParticipantId, audience, cancellationToken));
        }
    }

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, CancellationToken cancellationToken = default) =>
        store.ListAsync(meetingId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

    public async Task<ParticipantView> SetHandAsync(string connectionId, bool raised, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var view = await store.SetHandAsync(session.MeetingId, session.ParticipantId, raised, cancellationToken);
        if (view is null)
        {
            await ArriveAsync(session, cancellationToken);
            view = await store.SetHandAsync(session.MeetingId, session.ParticipantId, raised, cancellationToken)
                ?? throw ConferencingException.Conflict("You are not present in this meeting; join again.");
        }

        var audience = await AudienceAsync(session.MeetingId, cancellationToken);
        await PushAsync("participant updated", session.MeetingId, () => notifier.ParticipantUpdatedAsync(session.MeetingId, view, audience, cancellationToken));
        return view;
    }

    /// <summary>
    /// One heartbeat of this node: refreshes its participants (re-adding any that expired meanwhile) and removes the
    /// expired entries of every node, telling each meeting who left.
    /// </summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        // Refreshes go out a batch at a time, not one round trip after another: a node with 10,000 participants
        // refreshes them in a few dozen round trips to Redis (the multiplexer pipelines each batch).
        foreach (var batch in registry.Participants().Chunk(HeartbeatBatch))
        {
            var expiresAt = ExpiresAt();
            var touched = await Task.WhenAll(batch.Select(session => store.TouchAsync(session.MeetingId, session.ParticipantId, expiresAt, cancellationToken)));
            for (var i = 0; i < batch.Length; i++)
            {
                if (!touched[i])
                {
                    await ArriveAsync(batch[i], cancellationToken);
                }
            }
        }

        var expired = await store.RemoveExpiredAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), SweepBatch, cancellationToken);
        foreach (var (meetingId, participantId) in expired)
        {
            ConferencingLog.PresenceExpired(logger, participantId, meetingId);
            var audience = await AudienceAsync(meetingId, cancellationToken);
            await PushAsync("participant left", meetingId, () => notifier.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken));
        }
    }

    /// <summary>
    /// Who hears of a presence change: everyone up to the broadcast limit, moderators only above it (everyone else then
    /// gets the coalesced count). Reading the count costs one O(1) store call per change.
    /// </summary>
    private async Task<PresenceAudience> AudienceAsync(string meetingId, CancellationToken cancellationToken) =>
        Audience(meetingId, await store.CountAsync(meetingId, cancellationToken));

    private PresenceAudience Audience(string meetingId, int count)
    {
        counts.Changed(meetingId, count);
        return count > options.Value.PresenceBroadcastLimit ? PresenceAudience.Moderators : PresenceAudience.Everyone;
    }

    private long ExpiresAt() => time.GetUtcNow().AddSeconds(options.Value.PresenceTimeoutSeconds).ToUnixTimeMilliseconds();

    private async Task PushAsync(string what, string meetingId, Func<Task> push)
    {
        try
        {
            await push();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ConferencingLog.PushFailed(logger, what, meetingId, exception);
        }
    }
}
