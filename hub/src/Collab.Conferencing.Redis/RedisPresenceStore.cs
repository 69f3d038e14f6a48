using System.Text.Json;
using Collab.Conferencing.Model;
using Collab.Conferencing.Stores;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Presence as one hash per meeting (participant id → JSON entry, versioned) plus one sorted set per meeting of
/// participant ids scored by expiry, both in the meeting's hash slot. Every change is a Lua script touching both, so
/// the sweep (which any node may run) removes each expired entry exactly once. A set over all meetings
/// (<see cref="RedisKeys.PresenceMeetings"/>) tells the sweep where to look; it is written only outside the scripts
/// (after them), so every script stays on one slot of a Redis Cluster.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisPresenceStore> logger) : IPresenceStore
{
    private const string UpsertScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        local doc = ARGV[2]
        if existing then
          local old = cjson.decode(existing)
          if old.hand then
            local new = cjson.decode(doc)
            new.hand = true
            doc = cjson.encode(new)
          end
        end
        redis.call('HSET', KEYS[1], ARGV[1], doc)
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        if existing then return 0 end
        return 1
        """;

    private const string TouchScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[1])
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

    private const string RemoveScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then return 0 end
        if ARGV[2] ~= '' and cjson.decode(existing).conn ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    private const string SweepScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task<bool> UpsertAsync(string meetingId, PresenceEntry entry, long expiresAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.upsert", async () =>
        {
            var participantId = entry.Participant.ParticipantId;
            var result = await Database.ScriptEvaluateAsync(UpsertScript, [keys.Presence(meetingId), keys.PresenceExpiry(meetingId)],
                [participantId, Serialize(entry), expiresAtUnixMs]);
            // After the script, never before: see RemoveExpiredAsync.
            await Database.SetAddAsync(keys.PresenceMeetings(), meetingId);
            return (int)result == 1;
        });

    public Task<bool> TouchAsync(string meetingId, string participantId, long expiresAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.touch", async () =>
            (int)await Database.ScriptEvaluateAsync(TouchScript, [keys.Presence(meetingId), keys.PresenceExpiry(meetingId)],
                [participantId, expiresAtUnixMs]) == 1);

    public Task<ParticipantView?> SetHandAsync(string meetingId, string participantId, bool raised, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.hand", async () =>
        {
            var result = await Database.ScriptEvaluateAsync(SetHandScript, [keys.Presence(meetingId)], [participantId, raised ? "1" : "0"]);
            return result.IsNull ? null : Deserialize((string)result!)?.Participant;
        });

    public Task<bool> RemoveAsync(string meetingId, string participantId, string? connectionId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.remove", async () =>
            (int)await Database.ScriptEvaluateAsync(RemoveScript, [keys.Presence(meetingId), keys.PresenceExpiry(meetingId)],
                [participantId, connectionId ?? string.Empty]) == 1);

    public Task<IReadOnlyList<ParticipantView>> ListAsync(string meetingId, long nowUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<ParticipantView>>(logger, "presence.list", async () =>
        {
            var entries = await Database.HashGetAllAsync(keys.Presence(meetingId));
            if (entries.Length == 0)
            {
                return [];
            }

            var expiries = await Database.SortedSetScoresAsync(keys.PresenceExpiry(meetingId), [.. entries.Select(entry => entry.Name)]);
            return [.. entries
                .Select((entry, index) => (Entry: Deserialize(entry.Value.ToString()), ExpiresAt: expiries[index]))
                .Where(pair => pair.Entry is not null && pair.ExpiresAt > nowUnixMs)
                .Select(pair => pair.Entry!.Participant)
                .OrderBy(view => view.DisplayName, StringComparer.Ordinal)
                .ThenBy(view => view.ParticipantId, StringComparer.Ordinal)];
        });

    public Task<int> CountAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "presence.count", async () => (int)await Database.HashLengthAsync(keys.Presence(meetingId)));

    public Task<IReadOnlyList<(string MeetingId, string ParticipantId)>> RemoveExpiredAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<(string MeetingId, string ParticipantId)>>(logger, "presence.sweep", async () =>
        {
            var removed = new List<(string, string)>();
            foreach (var meeting in await Database.SetMembersAsync(keys.PresenceMeetings()))
            {
                var meetingId = meeting.ToString();
                var expiry = keys.PresenceExpiry(meetingId);
                var candidates = await Database.SortedSetRangeByScoreAsync(expiry, double.NegativeInfinity, nowUnixMs, take: max - removed.Count);
                foreach (var participantId in candidates)
                {
                    if ((int)await Database.ScriptEvaluateAsync(SweepScript, [expiry, keys.Presence(meetingId)], [participantId, nowUnixMs]) == 1)
                    {
                        removed.Add((meetingId, participantId.ToString()));
                    }
                }

                if (removed.Count >= max)
                {
                    break;
                }

                // A meeting with nobody present leaves the index. An upsert adds its meeting back only after its
                // script ran, so re-checking after the removal catches one that ran in between.
                if (candidates.Length == 0 && await Database.SortedSetLengthAsync(expiry) == 0)
                {
                    await Database.SetRemoveAsync(keys.PresenceMeetings(), meetingId);
                    if (await Database.SortedSetLengthAsync(expiry) > 0)
                    {
                        await Database.SetAddAsync(keys.PresenceMeetings(), meetingId);
                    }
                }
            }

            return removed;
        });

    private IDatabase Database => redis.GetDatabase();

    private static string Serialize(PresenceEntry entry) => JsonSerializer.Serialize(
        new PresenceDocument(1, entry.Participant.ParticipantId, entry.Participant.DisplayName, entry.Participant.Role.ToString(), entry.Participant.HandRaised, entry.ConnectionId),
        s_json);

    private static PresenceEntry? Deserialize(string json) =>
        JsonSerializer.Deserialize<PresenceDocument>(json, s_json) is { } document
            ? new PresenceEntry(new ParticipantView(document.Pid, document.Name, Enum.Parse<ParticipantRole>(document.Role), document.Hand), document.Conn)
            : null;

    private sealed record PresenceDocument(int V, string Pid, string Name, string Role, bool Hand, string Conn);
}
