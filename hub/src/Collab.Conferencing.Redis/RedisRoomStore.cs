using System.Globalization;
using System.Text.Json;
using Collab.Conferencing.Rooms;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// A meeting's rooms in two hashes in the meeting's slot (<see cref="RedisKeys.Rooms"/>, <see cref="RedisKeys.RoomsWhere"/>):
/// each change is one Lua script over both, so a move into a room that is closing at the same moment either lands
/// before the close (and is returned by it) or is refused. Rooms are JSON with <c>v</c>; readers ignore fields they do
/// not know. Timed rooms are also in the deployment's due set (<see cref="RedisKeys.RoomsDue"/>, its own slot, never in
/// a script with a meeting's keys); a sweep claims each with ZREM, so exactly one node closes it.
/// </summary>
public sealed class RedisRoomStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisRoomStore> logger) : IRoomStore
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    // KEYS: rooms, where. ARGV: max open rooms, room count, then per room: JSON, assigned count, (participant id, name)...
    // Returns {0} when too many rooms would be open, else {1, id...}.
    private const string CreateScript = """
        local all = redis.call('HGETALL', KEYS[1])
        local closed = {}
        for i = 1, #all, 2 do
          if string.sub(all[i], 1, 2) == 'c:' then closed[string.sub(all[i], 3)] = true end
        end
        local open = 0
        for i = 1, #all, 2 do
          if string.sub(all[i], 1, 2) == 'r:' and not closed[string.sub(all[i], 3)] then open = open + 1 end
        end
        local n = tonumber(ARGV[2])
        if open + n > tonumber(ARGV[1]) then return {0} end
        local result = {1}
        local a = 3
        for r = 1, n do
          local id = 'r' .. redis.call('HINCRBY', KEYS[1], 'seq', 1)
          redis.call('HSET', KEYS[1], 'r:' .. id, ARGV[a])
          local k = tonumber(ARGV[a + 1])
          a = a + 2
          for j = 1, k do
            redis.call('HSET', KEYS[2], ARGV[a], id .. '|' .. ARGV[a + 1])
            a = a + 2
          end
          result[#result + 1] = id
        end
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        return result
        """;

    // KEYS: rooms, where. ARGV: participant id, room id ('' = main room), display name.
    // Returns {outcome, previous room ('' = main)}: 1 moved, 2 unchanged, 3 no such room, 4 room closed.
    private const string MoveScript = """
        local cur = redis.call('HGET', KEYS[2], ARGV[1])
        local prev = ''
        if cur then prev = string.match(cur, '^([^|]*)') end
        if ARGV[2] ~= '' then
          if redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[2]) == 0 then return {3, prev} end
          if redis.call('HEXISTS', KEYS[1], 'c:' .. ARGV[2]) == 1 then return {4, prev} end
        end
        if prev == ARGV[2] then return {2, prev} end
        if ARGV[2] == '' then
          redis.call('HDEL', KEYS[2], ARGV[1])
        else
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
        end
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        return {1, prev}
        """;

    // KEYS: rooms, where. ARGV: room id, closed at. Returns {0} no such room, {2} already closed, {1, participant id...} returned.
    private const string CloseScript = """
        if redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[1]) == 0 then return {0} end
        if redis.call('HEXISTS', KEYS[1], 'c:' .. ARGV[1]) == 1 then return {2} end
        redis.call('HSET', KEYS[1], 'c:' .. ARGV[1], ARGV[2])
        local all = redis.call('HGETALL', KEYS[2])
        local result = {1}
        for i = 1, #all, 2 do
          if string.match(all[i + 1], '^([^|]*)') == ARGV[1] then
            redis.call('HDEL', KEYS[2], all[i])
            result[#result + 1] = all[i]
          end
        end
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        return result
        """;

    public Task<RoomsState> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.get", () => ReadAsync(meetingId));

    public Task<string?> LocateAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.locate", async () =>
            await Database.HashGetAsync(keys.RoomsWhere(meetingId), participantId) is { IsNull: false } value ? Place(value.ToString()).RoomId : null);

    public Task<IReadOnlyList<RoomRecord>?> CreateAsync(string meetingId, IReadOnlyList<RoomDraft> drafts, int maxOpenRooms, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.create", async () =>
        {
            var args = new List<RedisValue> { maxOpenRooms, drafts.Count };
            foreach (var draft in drafts)
            {
                args.Add(JsonSerializer.Serialize(new RoomJson(1, draft.Name, draft.Open, draft.CreatedBy, draft.CreatedAtUnixMs, draft.ClosesAtUnixMs, [.. draft.Assigned.Select(m => m.ParticipantId)]), s_json));
                args.Add(draft.Assigned.Count);
                foreach (var member in draft.Assigned)
                {
                    args.Add(member.ParticipantId);
                    args.Add(member.DisplayName);
                }
            }

            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(CreateScript, [keys.Rooms(meetingId), keys.RoomsWhere(meetingId)], [.. args]))!;
            if ((int)result[0] == 0)
            {
                return null;
            }

            var created = drafts.Select((draft, i) => new RoomRecord((string)result[i + 1]!, draft.Name, draft.Open, draft.CreatedBy, draft.CreatedAtUnixMs, draft.ClosesAtUnixMs, null, [.. draft.Assigned.Select(m => m.ParticipantId)])).ToArray();
            var due = created.Where(room => room.ClosesAtUnixMs is not null).Select(room => new SortedSetEntry(Due(meetingId, room.RoomId), room.ClosesAtUnixMs!.Value)).ToArray();
            if (due.Length > 0)
            {
                await Database.SortedSetAddAsync(keys.RoomsDue(), due);
            }

            return (IReadOnlyList<RoomRecord>?)created;
        });

    public Task<RoomMoveResult> MoveAsync(string meetingId, string participantId, string displayName, string? roomId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.move", async () =>
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(MoveScript, [keys.Rooms(meetingId), keys.RoomsWhere(meetingId)], [participantId, roomId ?? string.Empty, displayName]))!;
            var previous = (string)result[1]!;
            var outcome = (int)result[0] switch
            {
                1 => RoomMoveOutcome.Moved,
                2 => RoomMoveOutcome.Unchanged,
                3 => RoomMoveOutcome.NoSuchRoom,
                _ => RoomMoveOutcome.RoomClosed,
            };
            return new RoomMoveResult(outcome, previous.Length == 0 ? null : previous);
        });

    public Task<RoomCloseResult?> CloseAsync(string meetingId, string roomId, long closedAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.close", async () =>
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(CloseScript, [keys.Rooms(meetingId), keys.RoomsWhere(meetingId)], [roomId, closedAtUnixMs]))!;
            var code = (int)result[0];
            if (code == 0)
            {
                return null;
            }

            await Database.SortedSetRemoveAsync(keys.RoomsDue(), Due(meetingId, roomId));
            var room = (await ReadAsync(meetingId)).Find(roomId)!;
            return code == 2
                ? new RoomCloseResult(room, [], AlreadyClosed: true)
                : new RoomCloseResult(room, [.. result.Skip(1).Select(id => (string)id!)], AlreadyClosed: false);
        });

    public Task<RoomsState> SetSettingsAsync(string meetingId, RoomSettings settings, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.settings", async () =>
        {
            var transaction = Database.CreateTransaction();
            _ = transaction.HashSetAsync(keys.Rooms(meetingId), "self", settings.SelfOrganised ? 1 : 0);
            _ = transaction.HashIncrementAsync(keys.Rooms(meetingId), "v");
            await transaction.ExecuteAsync();
            return await ReadAsync(meetingId);
        });

    public Task<IReadOnlyList<DueRoom>> TakeDueAsync(long nowUnixMs, int max, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.due", async () =>
        {
            var due = await Database.SortedSetRangeByScoreAsync(keys.RoomsDue(), double.NegativeInfinity, nowUnixMs, take: max);
            var claimed = new List<DueRoom>();
            foreach (var entry in due)
            {
                // ZREM answers 1 to one caller only: that node closes the room.
                if (await Database.SortedSetRemoveAsync(keys.RoomsDue(), entry) && entry.ToString().Split('|') is [var meetingId, var roomId])
                {
                    claimed.Add(new DueRoom(meetingId, roomId));
                }
            }

            return (IReadOnlyList<DueRoom>)claimed;
        });

    public Task ExpireAsync(string meetingId, TimeSpan retention, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms.expire", async () =>
        {
            var state = await ReadAsync(meetingId);
            var expiring = new List<RedisKey> { keys.Rooms(meetingId), keys.RoomsWhere(meetingId) };
            foreach (var scope in state.Rooms.Select(room => RoomScopes.Of(meetingId, room.RoomId)))
            {
                expiring.AddRange([keys.ChatSequence(scope), keys.ChatLog(scope), keys.ChatDeleted(scope),
                    keys.Floor(scope), keys.FloorSpeakers(scope), keys.FloorRequests(scope), keys.FloorMuted(scope)]);
            }

            await Task.WhenAll(expiring.Select(key => Database.KeyExpireAsync(key, retention)));
            var due = state.Rooms.Where(room => room.ClosesAtUnixMs is not null && !room.Closed).Select(room => (RedisValue)Due(meetingId, room.RoomId)).ToArray();
            if (due.Length > 0)
            {
                await Database.SortedSetRemoveAsync(keys.RoomsDue(), due);
            }
        });

    private IDatabase Database => redis.GetDatabase();

    private async Task<RoomsState> ReadAsync(string meetingId)
    {
        var roomsTask = Database.HashGetAllAsync(keys.Rooms(meetingId));
        var whereTask = Database.HashGetAllAsync(keys.RoomsWhere(meetingId));
        var fields = (await roomsTask).ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);
        var where = (await whereTask).ToDictionary(entry => entry.Name.ToString(), entry => Place(entry.Value.ToString()), StringComparer.Ordinal);
        var rooms = new List<(long Number, RoomRecord Room)>();
        foreach (var (field, value) in fields)
        {
            if (!field.StartsWith("r:", StringComparison.Ordinal) || JsonSerializer.Deserialize<RoomJson>(value, s_json) is not { V: >= 1 } json)
            {
                continue;
            }

            var roomId = field[2..];
            long? closedAt = fields.TryGetValue("c:" + roomId, out var closed) ? long.Parse(closed, CultureInfo.InvariantCulture) : null;
            var number = long.TryParse(roomId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
            rooms.Add((number, new RoomRecord(roomId, json.Name ?? roomId, json.Open, json.By ?? string.Empty, json.At, json.ClosesAt, closedAt, json.Assigned ?? [])));
        }

        return new RoomsState(
            new RoomSettings(fields.GetValueOrDefault("self") == "1"),
            fields.TryGetValue("v", out var version) ? long.Parse(version, CultureInfo.InvariantCulture) : 0,
            [.. rooms.OrderBy(entry => entry.Number).Select(entry => entry.Room)],
            where);
    }

    private static RoomPlace Place(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? new RoomPlace(value, string.Empty) : new RoomPlace(value[..bar], value[(bar + 1)..]);
    }

    private static string Due(string meetingId, string roomId) => $"{meetingId}|{roomId}";

    private sealed record RoomJson(int V, string? Name, bool Open, string? By, long At, long? ClosesAt, string[]? Assigned);
}
