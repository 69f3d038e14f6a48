using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Presence;

/// <summary>
/// Who is present, by node lease (see <see cref="IPresenceStore"/>): this node records a participant when its first
/// connection here joins and drops it when the last one goes; the participant is present while any node holds it, so
/// <c>ParticipantJoined</c> and <c>ParticipantLeft</c> are pushed once per participant however many connections and
/// nodes it uses. Each heartbeat renews this node's lease (one store call, whatever the audience) and sweeps lapsed
/// nodes, so a dead node's participants leave within <see cref="ConferencingOptions.PresenceTimeoutSeconds"/> plus
/// one heartbeat interval.
/// </summary>
/// <remarks>
/// Every write for one participant on this node runs under that participant's lock and decides from the registry
/// (does it still have a connection here?), so arrivals and departures racing each other end in the registry's state.
/// A node that lost its lease (stalled past the timeout, or Redis lost it) takes a new node id and records its
/// participants again: those already swept rejoin once, those not yet swept never left.
/// </remarks>
public sealed class PresenceService(
    IPresenceStore store,
    ConnectionRegistry registry,
    Pushes.MeetingPushes pushes,
    ParticipantCountCoalescer counts,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<PresenceService> logger)
{
    private const int SweepBatch = 500;
    private const int MaxSweepBatches = 1_000;
    private const int MaxClaims = 8;
    private const int ReconcileBatch = 256;
    private const int Stripes = 256;

    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private readonly Lock _reconcileGate = new();
    private string? _nodeId;
    private int _writes;
    private bool _reestablish;
    private (int Recorded, int Local)? _mismatch;

    /// <summary>This node's current id in the presence store (null until its first lease).</summary>
    public string? NodeId => Volatile.Read(ref _nodeId);

    /// <summary>
    /// Makes the participant present (pushing its arrival when no node held it) and returns how many are present now
    /// (see <see cref="IPresenceStore.CountAsync"/>), which a join also needs for the broadcast limit.
    /// </summary>
    public async Task<int> ArriveAsync(Session session, CancellationToken cancellationToken = default) =>
        await SyncAsync(session.MeetingId, session.ParticipantId, cancellationToken) ?? await store.CountAsync(session.MeetingId, cancellationToken);

    /// <summary>Drops the participant from this node once its last connection here is gone (it leaves when no node holds it).</summary>
    public async Task DepartAsync(Session session, CancellationToken cancellationToken = default)
    {
        if (!registry.HasConnection(session.MeetingId, session.ParticipantId))
        {
            await SyncAsync(session.MeetingId, session.ParticipantId, cancellationToken);
        }
    }

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, CancellationToken cancellationToken = default) =>
        store.ListAsync(meetingId, Now(), cancellationToken);

    /// <summary>Lowers every raised hand in the meeting (a moderator's call), pushing each change; returns how many were lowered.</summary>
    public async Task<int> LowerAllHandsAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var lowered = 0;
        foreach (var raised in (await ListAsync(meetingId, cancellationToken)).Where(view => view.HandRaised))
        {
            if (await store.SetHandAsync(meetingId, raised.ParticipantId, raised: false, cancellationToken) is { } view)
            {
                lowered++;
                var audience = await AudienceAsync(meetingId, cancellationToken);
                await pushes.ParticipantUpdatedAsync(meetingId, view, audience, cancellationToken);
            }
        }

        return lowered;
    }

    /// <summary>A participant's new name or role (kept with its hand), pushed as <c>ParticipantUpdated</c>; null when it is not present.</summary>
    public async Task<ParticipantView?> UpdateAsync(string meetingId, string participantId, string displayName, ParticipantRole role, CancellationToken cancellationToken = default)
    {
        if (await store.UpdateAsync(meetingId, participantId, displayName, role, cancellationToken) is not { } view)
        {
            return null;
        }

        var audience = await AudienceAsync(meetingId, cancellationToken);
        await pushes.ParticipantUpdatedAsync(meetingId, view, audience, cancellationToken);
        return view;
    }

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
        await pushes.ParticipantUpdatedAsync(session.MeetingId, view, audience, cancellationToken);
        return view;
    }

    /// <summary>
    /// One heartbeat of this node: renews its lease (re-recording its participants under a new id if the lease was
    /// lost), reconciles the store with its connections when the two disagree, and sweeps the lapsed nodes it claimed.
    /// </summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        var node = await NodeIdAsync(cancellationToken);
        var quiet = Volatile.Read(ref _writes) == 0;
        var local = registry.ParticipantCount;
        var now = Now();
        var beat = await store.HeartbeatAsync(node, now, ExpiresAt(), ExpiresAt(), MaxClaims, cancellationToken);
        if (!beat.LeaseHeld)
        {
            node = await ReplaceNodeIdAsync(node, cancellationToken);
        }

        await ReconcileIfNeededAsync(node, beat, quiet && Volatile.Read(ref _writes) == 0, local, cancellationToken);
        foreach (var lapsed in beat.Claimed)
        {
            await SweepAsync(lapsed, cancellationToken);
        }
    }

    /// <summary>
    /// Re-records every participant after a lost lease; otherwise, when no write was in flight and the store's count of
    /// this node's participants differed from the connections' on two heartbeats in a row (e.g. Redis restarted and
    /// lost its last writes, or a departure failed while Redis was down), brings the store in line one participant at a time.
    /// </summary>
    private async Task ReconcileIfNeededAsync(string node, LeaseHeartbeat beat, bool quiet, int local, CancellationToken cancellationToken)
    {
        bool reconcile;
        lock (_reconcileGate)
        {
            var mismatch = beat.LeaseHeld && quiet && beat.Recorded != local ? (beat.Recorded, local) : ((int, int)?)null;
            reconcile = _reestablish || (mismatch is not null && mismatch == _mismatch);
            _mismatch = reconcile ? null : mismatch;
            _reestablish = false;
        }

        if (!reconcile)
        {
            return;
        }

        var recorded = await store.NodeParticipantsAsync(node, cancellationToken);
        var participants = registry.Participants().Select(session => (session.MeetingId, session.ParticipantId)).Union(recorded).ToList();
        ConferencingLog.PresenceReconciled(logger, node, participants.Count);
        foreach (var batch in participants.Chunk(ReconcileBatch))
        {
            await Task.WhenAll(batch.Select(participant => SyncAsync(participant.MeetingId, participant.ParticipantId, cancellationToken)));
        }
    }

    /// <summary>Sweeps a lapsed node this one claimed: each of its participants that no other node holds leaves, once.</summary>
    private async Task SweepAsync(string lapsed, CancellationToken cancellationToken)
    {
        var left = 0;
        for (var i = 0; i < MaxSweepBatches; i++)
        {
            var sweep = await store.SweepNodeAsync(lapsed, SweepBatch, cancellationToken);
            foreach (var meeting in sweep.Left.GroupBy(record => record.MeetingId, StringComparer.Ordinal))
            {
                var audience = await AudienceAsync(meeting.Key, cancellationToken);
                foreach (var (meetingId, participantId) in meeting)
                {
                    ConferencingLog.PresenceExpired(logger, participantId, meetingId);
                    await pushes.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken);
                }
            }

            left += sweep.Left.Count;
            if (sweep.Done)
            {
                break;
            }
        }

        ConferencingLog.NodeSwept(logger, lapsed, left);
    }

    /// <summary>
    /// Brings the store in line with this node's connections for one participant, under its lock: recorded here while
    /// it has a connection here, not otherwise. Pushes the arrival or departure it causes; returns the count it read then.
    /// </summary>
    private async Task<int?> SyncAsync(string meetingId, string participantId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(participantId) % Stripes];
        await stripe.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _writes);
        try
        {
            var node = await NodeIdAsync(cancellationToken);
            var session = registry.AnyConnectionOf(meetingId, participantId);
            if (session is null)
            {
                if (await store.DepartAsync(meetingId, node, participantId, Now(), cancellationToken) != PresenceChange.Left)
                {
                    return null;
                }

                ConferencingLog.Left(logger, participantId, meetingId);
                var count = await store.CountAsync(meetingId, cancellationToken);
                var audience = Audience(meetingId, count);
                await pushes.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken);
                return count;
            }

            var view = new ParticipantView(session.ParticipantId, session.DisplayName, session.Role, HandRaised: false);
            var change = await store.ArriveAsync(meetingId, node, view, Now(), cancellationToken);
            if (change == PresenceChange.LeaseLost)
            {
                node = await ReplaceNodeIdAsync(node, cancellationToken);
                change = await store.ArriveAsync(meetingId, node, view, Now(), cancellationToken);
            }

            if (change != PresenceChange.Joined)
            {
                return null;
            }

            var present = await store.CountAsync(meetingId, cancellationToken);
            var arrivedAudience = Audience(meetingId, present);
            await pushes.ParticipantJoinedAsync(meetingId, view, arrivedAudience, cancellationToken);
            return present;
        }
        finally
        {
            Interlocked.Decrement(ref _writes);
            stripe.Release();
        }
    }

    private async Task<string> NodeIdAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _nodeId) is { } current)
        {
            return current;
        }

        await _leaseGate.WaitAsync(cancellationToken);
        try
        {
            if (_nodeId is null)
            {
                var node = NewNodeId();
                await store.AcquireLeaseAsync(node, ExpiresAt(), cancellationToken);
                Volatile.Write(ref _nodeId, node);
            }

            return _nodeId;
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    /// <summary>The lease of <paramref name="lost"/> is gone: takes a new id (once, however many callers noticed) and asks the next heartbeat to re-record everyone.</summary>
    private async Task<string> ReplaceNodeIdAsync(string lost, CancellationToken cancellationToken)
    {
        await _leaseGate.WaitAsync(cancellationToken);
        try
        {
            if (_nodeId == lost)
            {
                var node = NewNodeId();
                await store.AcquireLeaseAsync(node, ExpiresAt(), cancellationToken);
                Volatile.Write(ref _nodeId, node);
                lock (_reconcileGate)
                {
                    _reestablish = true;
                }

                ConferencingLog.PresenceLeaseLost(logger, lost, node, registry.ParticipantCount);
            }

            return _nodeId!;
        }
        finally
        {
            _leaseGate.Release();
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

    /// <summary>The host's name (for operators reading Redis) and a random part: a node id is never reused.</summary>
    private static string NewNodeId() => $"{new string([.. Environment.MachineName.Where(char.IsAsciiLetterOrDigit).Take(32)])}-{Guid.NewGuid():N}";

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long ExpiresAt() => time.GetUtcNow().AddSeconds(options.Value.PresenceTimeoutSeconds).ToUnixTimeMilliseconds();
}
