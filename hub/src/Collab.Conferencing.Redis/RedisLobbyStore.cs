using System.Globalization;
using System.Text.Json;
using Collab.Conferencing.Lobby;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Lobbies in three hashes per meeting (settings and version; waiters as versioned JSON; exclusions), every change one
/// script that also reads the state back, so a version always comes with the list it describes.
/// </summary>
public sealed class RedisLobbyStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisLobbyStore> logger) : ILobbyStore
{
    private const string State = """
        local function state(taken)
          local s = redis.call('HMGET', KEYS[1], 'enabled', 'locked', 'version')
          return {taken, s[1] or '0', s[2] or '0', s[3] or '0', redis.call('HGETALL', KEYS[2])}
        end
        """;

    private const string GetScript = State + "\nreturn state('')";

    private const string SetScript = State + "\n" + """
        if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'enabled', ARGV[1]) end
        if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'locked', ARGV[2]) end
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return state('')
        """;

    // A waiter already in the lobby keeps its place (its "since").
    private const string AddScript = State + "\n" + """
        local existing = redis.call('HGET', KEYS[2], ARGV[1])
        local entry = ARGV[2]
        if existing then
          local since = string.match(existing, '"since":(%d+)')
          if since then entry = string.gsub(entry, '"since":%d+', '"since":' .. since, 1) end
        elseif redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
          return false
        end
        redis.call('HSET', KEYS[2], ARGV[1], entry)
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        return state('')
        """;

    private const string TakeScript = State + "\n" + """
        local existing = redis.call('HGET', KEYS[2], ARGV[1])
        if not existing or (ARGV[2] ~= '' and not string.find(existing, '"conn":"' .. ARGV[2] .. '"', 1, true)) then
          return state('')
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'version', 1)
        if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
        return state(existing)
        """;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task<LobbyState> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.get", async () => Read(await RunAsync(GetScript, meetingId, [])).State);

    public Task<LobbyState> SetAsync(string meetingId, bool? enabled, bool? locked, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.set", async () => Read(await RunAsync(SetScript, meetingId, [Flag(enabled), Flag(locked)])).State);

    public Task<LobbyState?> AddWaiterAsync(string meetingId, Waiter waiter, int maxWaiting, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.wait", async () =>
        {
            var document = JsonSerializer.Serialize(new WaiterDocument(1, waiter.Id, waiter.DisplayName, waiter.SinceUnixMs, waiter.ConnectionId), s_json);
            var result = await RunAsync(AddScript, meetingId, [waiter.Id, document, maxWaiting]);
            return result.IsNull ? null : Read(result).State;
        });

    public Task<(Waiter? Taken, LobbyState State)> TakeWaiterAsync(string meetingId, string waiterId, string? connectionId, Exclusion? exclude, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.take", async () =>
            Read(await RunAsync(TakeScript, meetingId, [waiterId, connectionId ?? string.Empty, exclude is { } exclusion ? Name(exclusion) : string.Empty])));

    public Task ExcludeAsync(string meetingId, string participantId, Exclusion exclusion, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.exclude", () => Database.HashSetAsync(keys.Excluded(meetingId), participantId, Name(exclusion)));

    public Task<Exclusion?> GetExclusionAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "lobby.excluded", async () =>
            (await Database.HashGetAsync(keys.Excluded(meetingId), participantId)).ToString() switch
            {
                "removed" => Exclusion.Removed,
                "denied" => Exclusion.Denied,
                _ => (Exclusion?)null,
            });

    private IDatabase Database => redis.GetDatabase();

    private static RedisValue Flag(bool? value) => value switch
    {
        true => "1",
        false => "0",
        null => string.Empty,
    };

    private static string Name(Exclusion exclusion) => exclusion == Exclusion.Removed ? "removed" : "denied";

    private Task<RedisResult> RunAsync(string script, string meetingId, RedisValue[] arguments) =>
        Database.ScriptEvaluateAsync(script, [keys.Lobby(meetingId), keys.LobbyWaiting(meetingId), keys.Excluded(meetingId)], arguments);

    private static (Waiter? Taken, LobbyState State) Read(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        var entries = (RedisResult[])parts[4]!;
        var waiting = new List<Waiter>(entries.Length / 2);
        for (var i = 1; i < entries.Length; i += 2)
        {
            if (ReadWaiter(entries[i].ToString()) is { } waiter)
            {
                waiting.Add(waiter);
            }
        }

        waiting.Sort((a, b) => a.SinceUnixMs != b.SinceUnixMs ? a.SinceUnixMs.CompareTo(b.SinceUnixMs) : string.CompareOrdinal(a.Id, b.Id));
        var state = new LobbyState(parts[1].ToString() == "1", parts[2].ToString() == "1", waiting, long.Parse(parts[3].ToString(), CultureInfo.InvariantCulture));
        return (ReadWaiter(parts[0].ToString()), state);
    }

    private static Waiter? ReadWaiter(string? json) =>
        string.IsNullOrEmpty(json) || JsonSerializer.Deserialize<WaiterDocument>(json, s_json) is not { } document
            ? null
            : new Waiter(document.Id, document.Name, document.Since, document.Conn);

    private sealed record WaiterDocument(int V, string Id, string Name, long Since, string Conn);
}
