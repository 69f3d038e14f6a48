using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Polls in hashes. Casting is one Lua script that checks the poll is open, replaces the participant's ballot and
/// adjusts the counts, so a ballot is counted once however many nodes and retries deliver it, and a close (another
/// script) is ordered strictly before or after every cast: the tally read after a close is final.
/// </summary>
public sealed class RedisPollStore(IConnectionMultiplexer redis, RedisKeys keys, ILogger<RedisPollStore> logger) : IPollStore
{
    private const string TransitionScript = """
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state then return {-1} end
        if state ~= ARGV[1] then return {0, redis.call('HGETALL', KEYS[1])} end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], ARGV[4], ARGV[3])
        return {1, redis.call('HGETALL', KEYS[1])}
        """;

    private const string CastScript = """
        local state = redis.call('HGET', KEYS[1], 'state')
        if not state then return -1 end
        if state ~= 'Open' then return 0 end
        local old = redis.call('HGET', KEYS[2], ARGV[1])
        if old then
          for index in string.gmatch(old, '[^,]+') do redis.call('HINCRBY', KEYS[3], index, -1) end
        else
          redis.call('HINCRBY', KEYS[3], 'voters', 1)
        end
        for index in string.gmatch(ARGV[2], '[^,]+') do redis.call('HINCRBY', KEYS[3], index, 1) end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('HINCRBY', KEYS[3], 'version', 1)
        return 1
        """;

    public Task CreateAsync(Poll poll, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.create", async () =>
        {
            var transaction = Database.CreateTransaction();
            _ = transaction.HashSetAsync(keys.Poll(poll.MeetingId, poll.Id),
            [
                new("v", 1), new("id", poll.Id), new("question", poll.Question), new("options", JsonSerializer.Serialize(poll.Options)),
                new("multiple", poll.MultipleChoice), new("anonymous", poll.Anonymous), new("state", poll.State.ToString()),
                new("createdBy", poll.CreatedBy), new("createdAt", poll.CreatedAtUnixMs),
            ]);
            _ = transaction.ListRightPushAsync(keys.PollIndex(poll.MeetingId), poll.Id);
            await transaction.ExecuteAsync();
        });

    public Task<Poll?> GetAsync(string meetingId, string pollId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.get", async () => Read(meetingId, await Database.HashGetAllAsync(keys.Poll(meetingId, pollId))));

    public Task<IReadOnlyList<Poll>> ListAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<Poll>>(logger, "poll.list", async () =>
        {
            var ids = await Database.ListRangeAsync(keys.PollIndex(meetingId));
            var reads = ids.Select(id => Database.HashGetAllAsync(keys.Poll(meetingId, id.ToString()))).ToList();
            var polls = new List<Poll>(ids.Length);
            foreach (var read in reads)
            {
                if (Read(meetingId, await read) is { } poll)
                {
                    polls.Add(poll);
                }
            }

            return polls;
        });

    public Task<PollTransition?> TransitionAsync(string meetingId, string pollId, PollState from, PollState to, long atUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.transition", async () =>
        {
            var timeField = to switch
            {
                PollState.Open => "openedAt",
                PollState.Closed => "closedAt",
                _ => "updatedAt",
            };
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(TransitionScript, [keys.Poll(meetingId, pollId)],
                [from.ToString(), to.ToString(), atUnixMs, timeField]))!;
            var outcome = (int)result[0];
            if (outcome < 0)
            {
                return null;
            }

            var flat = (RedisResult[])result[1]!;
            var entries = new HashEntry[flat.Length / 2];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new HashEntry((string)flat[2 * i]!, (string)flat[(2 * i) + 1]!);
            }

            return new PollTransition(Read(meetingId, entries)!, Changed: outcome == 1);
        });

    public Task<CastOutcome> CastAsync(string meetingId, string pollId, Ballot ballot, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.cast", async () =>
        {
            var chosen = string.Join(',', ballot.OptionIndexes.Select(index => index.ToString(CultureInfo.InvariantCulture)));
            var outcome = (int)await Database.ScriptEvaluateAsync(CastScript,
                [keys.Poll(meetingId, pollId), keys.PollBallots(meetingId, pollId), keys.PollCounts(meetingId, pollId)],
                [ballot.ParticipantId, chosen]);
            return outcome switch
            {
                1 => CastOutcome.Accepted,
                0 => CastOutcome.PollNotOpen,
                _ => CastOutcome.PollNotFound,
            };
        });

    public Task<PollTally> GetTallyAsync(string meetingId, string pollId, int optionCount, bool final, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.tally", async () =>
        {
            var fields = (await Database.HashGetAllAsync(keys.PollCounts(meetingId, pollId)))
                .ToDictionary(entry => entry.Name.ToString(), entry => (long)entry.Value, StringComparer.Ordinal);
            var counts = Enumerable.Range(0, optionCount)
                .Select(index => (int)fields.GetValueOrDefault(index.ToString(CultureInfo.InvariantCulture)))
                .ToArray();
            return new PollTally(pollId, counts, (int)fields.GetValueOrDefault("voters"), fields.GetValueOrDefault("version"), final);
        });

    public Task<IReadOnlyList<int>?> GetBallotAsync(string meetingId, string pollId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "poll.ballot", async () =>
        {
            var value = await Database.HashGetAsync(keys.PollBallots(meetingId, pollId), participantId);
            return value.IsNullOrEmpty ? null : (IReadOnlyList<int>?)ParseIndexes(value.ToString());
        });

    public Task<IReadOnlyList<Ballot>> GetBallotsAsync(string meetingId, string pollId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync<IReadOnlyList<Ballot>>(logger, "poll.ballots", async () =>
            [.. (await Database.HashGetAllAsync(keys.PollBallots(meetingId, pollId)))
                .Select(entry => new Ballot(entry.Name.ToString(), ParseIndexes(entry.Value.ToString())))
                .OrderBy(ballot => ballot.ParticipantId, StringComparer.Ordinal)]);

    private IDatabase Database => redis.GetDatabase();

    private static int[] ParseIndexes(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(index => int.Parse(index, CultureInfo.InvariantCulture))];

    private static Poll? Read(string meetingId, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value, StringComparer.Ordinal);
        long? Time(string name) => fields.TryGetValue(name, out var value) ? (long)value : null;
        return new Poll(
            meetingId,
            fields["id"].ToString(),
            fields["question"].ToString(),
            JsonSerializer.Deserialize<string[]>(fields["options"].ToString()) ?? [],
            (bool)fields["multiple"],
            (bool)fields["anonymous"],
            Enum.Parse<PollState>(fields["state"].ToString()),
            fields.GetValueOrDefault("createdBy").ToString(),
            Time("createdAt") ?? 0,
            Time("openedAt"),
            Time("closedAt"));
    }
}
