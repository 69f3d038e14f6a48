using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Presence by node lease: one hash per meeting (participant id → JSON entry, versioned, with the ids of the nodes
/// holding it), one set per node of the participants recorded under it, and two sorted sets over all nodes: leases
/// scored by expiry and claims of lapsed leases scored by their sweeper's deadline. A heartbeat is one script per
/// node; arrivals, departures and each swept record are one script each, so every participant leaves exactly once.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisPresenceStore> logger) : IPresenceStore
{
    private const int DocumentVersion = 2;

    private const string HeartbeatScript = """
        local held = 0
        local lease = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if lease and tonumber(lease) > tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
          held = 1
        end
        local max = tonumber(ARGV[5])
        local claimed = {}
        for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, max)) do
          redis.call('ZREM', KEYS[1], node)
          redis.call('ZADD', KEYS[2], ARGV[4], node)
          claimed[#claimed + 1] = node
        end
        if #claimed < max then
          for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, max - #claimed)) do
            redis.call('ZADD', KEYS[2], ARGV[4], node)
            claimed[#claimed + 1] = node
          end
        end
        return { held, redis.call('SCARD', KEYS[3]), claimed }
        """;

    private const string ArriveScript = """
        local lease = redis.call('ZSCORE', KEYS[3], ARGV[3])
        if not lease or tonumber(lease) <= tonumber(ARGV[5]) then return -1 end
        redis.call('SADD', KEYS[2], ARGV[4])
        local doc = cjson.decode(ARGV[2])
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        local result = 1
        doc.nodes = { ARGV[3] }
        if existing then
          local old = cjson.decode(existing)
          doc.hand = old.hand
          doc.nodes = {}
          for _, node in ipairs(old.nodes or {}) do
            if node ~= ARGV[3] then doc.nodes[#doc.nodes + 1] = node end
          end
          doc.nodes[#doc.nodes + 1] = ARGV[3]
          result = 0
        end
        redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(doc))
        return result
        """;

    // ARGV[4]: now (a departure: holders whose leases lapsed are dropped too), or '' (a sweep: only the one that
    // removed the record from the node's set goes on).
    private const string DepartScript = """
        local removed = redis.call('SREM', KEYS[2], ARGV[3])
        if ARGV[4] == '' and removed == 0 then return 0 end
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then return 0 end
        local doc = cjson.decode(existing)
        local kept = {}
        local found = false
        for _, node in ipairs(doc.nodes or {}) do
          if node == ARGV[2] then
            found = true
          elseif ARGV[4] == '' then
            kept[#kept + 1] = node
          else
            local lease = redis.call('ZSCORE', KEYS[3], node)
            if lease and tonumber(lease) > tonumber(ARGV[4]) then kept[#kept + 1] = node end
          end
        end
        if not found then return 0 end
        if #kept == 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
          return 1
        end
        doc.nodes = kept
        redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(doc))
        return 0
        """;

    private const string FinishSweepScript = """
        if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    private const string SetHandScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then return false end
        local doc = cjson.decode(existing)
        doc.hand = (ARGV[2] == '1')
        local encoded = cjson.encode(doc)
        redis.call('HSET', KEYS[1], ARGV[1], encoded)
        return encoded
        """;

    private const string UpdateScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then return false end
        local doc = cjson.decode(existing)
        doc.name = ARGV[2]
        doc.role = ARGV[3]
        local encoded = cjson.encode(doc)
        redis.call('HSET', KEYS[1], ARGV[1], encoded)
        return encoded
        """;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task AcquireLeaseAsync(string nodeId, long expiresAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.lease", () => Database.SortedSetAddAsync(keys.PresenceLeases(), nodeId, expiresAtUnixMs, SortedSetWhen.NotExists));

    public Task<LeaseHeartbeat> HeartbeatAsync(string nodeId, long nowUnixMs, long expiresAtUnixMs, long claimUntilUnixMs, int maxClaims, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.heartbeat", async () =>
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(HeartbeatScript, [keys.PresenceLeases(), keys.PresenceClaims(), keys.PresenceNode(nodeId)],
                [nodeId, nowUnixMs, expiresAtUnixMs, claimUntilUnixMs, maxClaims]))!;
            return new LeaseHeartbeat((int)result[0] == 1, (int)result[1], [.. ((RedisResult[])result[2]!).Select(node => node.ToString())]);
        });

    public Task<PresenceChange> ArriveAsync(string meetingId, string nodeId, ParticipantView participant, long nowUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.arrive", async () =>
        {
            var participantId = participant.ParticipantId;
            var result = (int)await Database.ScriptEvaluateAsync(ArriveScript, [keys.Presence(meetingId), keys.PresenceNode(nodeId), keys.PresenceLeases()],
                [participantId, Serialize(participant), nodeId, Member(meetingId, participantId), nowUnixMs]);
            return result switch { 1 => PresenceChange.Joined, -1 => PresenceChange.LeaseLost, _ => PresenceChange.None };
        });

    public Task<PresenceChange> DepartAsync(string meetingId, string nodeId, string participantId, long nowUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.depart", async () =>
            await DepartCoreAsync(meetingId, nodeId, participantId, nowUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture)) ? PresenceChange.Left : PresenceChange.None);

    public Task<NodeSweep> SweepNodeAsync(string nodeId, int max, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.sweep", async () =>
        {
            var records = (await Database.SetRandomMembersAsync(keys.PresenceNode(nodeId), max)).Select(member => Parse(member.ToString())).ToList();

            // One script per record, all in flight at once (the multiplexer pipelines them): a node with thousands of
            // participants is swept in a few round trips, and the record's removal inside the script decides who reports it.
            var left = await Task.WhenAll(records.Select(record => DepartCoreAsync(record.MeetingId, nodeId, record.ParticipantId, string.Empty)));
            var done = records.Count < max && (int)await Database.ScriptEvaluateAsync(FinishSweepScript, [keys.PresenceNode(nodeId), keys.PresenceClaims()], [nodeId]) == 1;
            return new NodeSweep([.. records.Where((_, i) => left[i])], done);
        });

    public Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> NodeParticipantsAsync(string nodeId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<(string, string)>>(logger, "presence.node", async () =>
            [.. (await Database.SetMembersAsync(keys.PresenceNode(nodeId))).Select(member => Parse(member.ToString()))]);

    public Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.hand", async () =>
        {
            var result = await Database.ScriptEvaluateAsync(SetHandScript, [keys.Presence(meetingId)], [participantId, raised ? "1" : "0"]);
            return result.IsNull ? null : Deserialize((string)result!)?.View;
        });

    public Task<ParticipantView?> UpdateAsync(string meetingId, string participantId, string displayName, ParticipantRole role, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.update", async () =>
        {
            var result = await Database.ScriptEvaluateAsync(UpdateScript, [keys.Presence(meetingId)], [participantId, displayName, role.ToString()]);
            return result.IsNull ? null : Deserialize((string)result!)?.View;
        });

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<ParticipantView>>(logger, "presence.list", async () =>
        {
            var entries = (await Database.HashGetAllAsync(keys.Presence(meetingId)))
                .Select(entry => Deserialize(entry.Value.ToString()))
                .OfType<PresenceDocumentView>()
                .ToList();
            if (entries.Count == 0)
            {
                return [];
            }

            // Nodes are few: one score per distinct node says whose lease is live.
            var nodes = entries.SelectMany(entry => entry.Nodes).Distinct(StringComparer.Ordinal).ToArray();
            var leases = await Database.SortedSetScoresAsync(keys.PresenceLeases(), [.. nodes.Select(node => (RedisValue)node)]);
            var live = nodes.Where((_, i) => leases[i] > nowUnixMs).ToHashSet(StringComparer.Ordinal);
            return [.. entries
                .Where(entry => entry.Nodes.Any(live.Contains))
                .Select(entry => entry.View)
                .OrderBy(view => view.DisplayName, StringComparer.Ordinal)
                .ThenBy(view => view.ParticipantId, StringComparer.Ordinal)];
        });

    public Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.count", async () => (int)await Database.HashLengthAsync(keys.Presence(meetingId)));

    private IDatabase Database => redis.GetDatabase();

    private async Task<bool> DepartCoreAsync(string meetingId, string nodeId, string participantId, string now) =>
        (int)await Database.ScriptEvaluateAsync(DepartScript, [keys.Presence(meetingId), keys.PresenceNode(nodeId), keys.PresenceLeases()],
            [participantId, nodeId, Member(meetingId, participantId), now]) == 1;

    /// <summary>Ids are letters, digits and '-_.:' (validated by the services), so '|' separates them safely.</summary>
    private static string Member(string meetingId, string participantId) => $"{meetingId}|{participantId}";

    private static (string MeetingId, string ParticipantId) Parse(string member)
    {
        var separator = member.IndexOf('|', StringComparison.Ordinal);
        return (member[..separator], member[(separator + 1)..]);
    }

    /// <summary>The entry without its holders (the scripts add and keep those, and keep a raised hand).</summary>
    private static string Serialize(ParticipantView participant) => JsonSerializer.Serialize(
        new PresenceDocument(DocumentVersion, participant.ParticipantId, participant.DisplayName, participant.Role.ToString(), Hand: false, Nodes: null),
        s_json);

    private static PresenceDocumentView? Deserialize(string json) =>
        JsonSerializer.Deserialize<PresenceDocument>(json, s_json) is { } document
            ? new PresenceDocumentView(new ParticipantView(document.Pid, document.Name, Enum.Parse<ParticipantRole>(document.Role), document.Hand), document.Nodes ?? [])
            : null;

    /// <summary>
    /// The stored entry. An entry without nodes (written by a per-participant-expiry node of an older version) is
    /// held by nobody and so not listed; readers ignore fields they do not know.
    /// </summary>
    private sealed record PresenceDocument(int V, string Pid, string Name, string Role, bool Hand, IReadOnlyList<string>? Nodes);

    private sealed record PresenceDocumentView(ParticipantView View, IReadOnlyList<string> Nodes);
}
