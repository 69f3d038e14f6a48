using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Meetings as hashes (versioned, extra fields ignored) and participants as JSON in one hash per meeting. Ending a
/// meeting sets an expiry on every key of the meeting (<see cref="ConferencingOptions.EndedMeetingRetentionHours"/>).
/// </summary>
public sealed class RedisMeetingStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ConferencingOptions> options, ILogger<RedisMeetingStore> logger) : IMeetingStore
{
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], unpack(ARGV))
        return 1
        """;

    private const string EndScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSETNX', KEYS[1], 'endedAt', ARGV[1])
        return 1
        """;

    // A promotion marks the participant promoted (a co-moderator); a demotion clears it; a moderator by key stays unpromoted.
    private const string UpdateParticipantScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if not existing then return false end
        local doc = cjson.decode(existing)
        if ARGV[2] ~= '' then doc.displayName = ARGV[2] end
        if ARGV[3] ~= '' then
          if ARGV[3] == 'Moderator' then
            if doc.role ~= 'Moderator' then doc.promoted = true end
          else
            doc.promoted = false
          end
          doc.role = ARGV[3]
        end
        local encoded = cjson.encode(doc)
        redis.call('HSET', KEYS[1], ARGV[1], encoded)
        return encoded
        """;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task<bool> CreateAsync(Meeting meeting, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meeting.create", async () =>
        {
            RedisValue[] fields =
            [
                "v", 1, "id", meeting.Id, "title", meeting.Title, "joinCode", meeting.JoinCode,
                "moderatorKeyHash", meeting.ModeratorKeyHash, "createdAt", meeting.CreatedAtUnixMs, "chatEnabled", meeting.ChatEnabled,
            ];
            return (int)await Database.ScriptEvaluateAsync(CreateScript, [keys.Meeting(meeting.Id)], fields) == 1;
        });

    public Task<Meeting?> GetAsync(string meetingId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meeting.get", async () => Read(meetingId, await Database.HashGetAllAsync(keys.Meeting(meetingId))));

    public Task<Meeting?> EndAsync(string meetingId, long endedAtUnixMs, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "meeting.end", async () =>
        {
            if ((int)await Database.ScriptEvaluateAsync(EndScript, [keys.Meeting(meetingId)], [endedAtUnixMs]) == 0)
            {
                return null;
            }

            await ExpireMeetingAsync(meetingId);
            return Read(meetingId, await Database.HashGetAllAsync(keys.Meeting(meetingId)));
        });

    public Task SaveParticipantAsync(Participant participant, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "participant.save", () =>
        {
            var document = new ParticipantDocument(1, participant.MeetingId, participant.Id, participant.DisplayName, participant.Role.ToString(), participant.JoinedAtUnixMs, participant.Promoted);
            return Database.HashSetAsync(keys.Participants(participant.MeetingId), participant.Id, JsonSerializer.Serialize(document, s_json));
        });

    public Task<Participant?> UpdateParticipantAsync(string meetingId, string participantId, string? displayName, ParticipantRole? role, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "participant.update", async () =>
        {
            var result = await Database.ScriptEvaluateAsync(UpdateParticipantScript, [keys.Participants(meetingId)], [participantId, displayName ?? string.Empty, role?.ToString() ?? string.Empty]);
            return result.IsNull ? null : ReadParticipant((string)result!);
        });

    public Task<Participant?> GetParticipantAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "participant.get", async () =>
        {
            var value = await Database.HashGetAsync(keys.Participants(meetingId), participantId);
            return value.IsNullOrEmpty ? null : ReadParticipant(value.ToString());
        });

    /// <summary>A stored participant (JSON; a document without <c>promoted</c>, written before co-moderators, is not promoted).</summary>
    private static Participant? ReadParticipant(string json) =>
        JsonSerializer.Deserialize<ParticipantDocument>(json, s_json) is { } document
            ? new Participant(document.MeetingId, document.Id, document.DisplayName, Enum.Parse<ParticipantRole>(document.Role), document.JoinedAtUnixMs, document.Promoted)
            : null;

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Sets the retention expiry on every key of an ended meeting (writes after the end are refused).</summary>
    private async Task ExpireMeetingAsync(string meetingId)
    {
        var retention = TimeSpan.FromHours(options.Value.EndedMeetingRetentionHours);
        var pollIds = await Database.ListRangeAsync(keys.PollIndex(meetingId));
        var meetingKeys = new List<RedisKey>
        {
            keys.Meeting(meetingId), keys.Participants(meetingId), keys.ChatSequence(meetingId), keys.ChatLog(meetingId), keys.ChatDeleted(meetingId),
            keys.PollIndex(meetingId), keys.Presence(meetingId),
            keys.Floor(meetingId), keys.FloorSpeakers(meetingId), keys.FloorRequests(meetingId), keys.FloorMuted(meetingId),
            keys.Lobby(meetingId), keys.LobbyWaiting(meetingId), keys.Excluded(meetingId),
        };
        meetingKeys.AddRange(keys.QaKeys(meetingId).Select(key => (RedisKey)key));
        meetingKeys.AddRange(keys.SpeakersKeys(meetingId).Select(key => (RedisKey)key));
        foreach (var pollId in pollIds.Select(id => id.ToString()))
        {
            meetingKeys.AddRange([keys.Poll(meetingId, pollId), keys.PollBallots(meetingId, pollId), keys.PollCounts(meetingId, pollId)]);
        }

        await Task.WhenAll(meetingKeys.Select(key => Database.KeyExpireAsync(key, retention)));
    }

    private static Meeting? Read(string meetingId, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);
        return new Meeting(
            meetingId,
            fields.GetValueOrDefault("title", string.Empty),
            fields.GetValueOrDefault("joinCode", string.Empty),
            fields.GetValueOrDefault("moderatorKeyHash", string.Empty),
            long.Parse(fields.GetValueOrDefault("createdAt", "0"), CultureInfo.InvariantCulture),
            fields.TryGetValue("endedAt", out var ended) ? long.Parse(ended, CultureInfo.InvariantCulture) : null,
            ChatEnabled: !fields.TryGetValue("chatEnabled", out var chat) || chat != "0");
    }

    private sealed record ParticipantDocument(int V, string MeetingId, string Id, string DisplayName, string Role, long JoinedAtUnixMs, bool Promoted = false);
}
