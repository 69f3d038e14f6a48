namespace Collab.Conferencing.Redis;

/// <summary>
/// Builds every Redis key and SignalR group name, like aspnetcore's <c>RedisChannels</c>. Keys start with the
/// deployment's prefix so several deployments can share one Redis; backplane channels get the same prefix through
/// the multiplexer's <c>ChannelPrefix</c>.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>The SignalR group of a meeting's connections (the backplane turns it into a channel).</summary>
    public static string MeetingGroup(string meetingId) => $"meeting:{meetingId}";

    public static string ModeratorsGroup(string meetingId) => $"meeting:{meetingId}:moderators";

    /// <summary>Hash: the meeting record (title, join code, moderator key hash, times, version).</summary>
    public string Meeting(string meetingId) => $"{Prefix}:meeting:{meetingId}";

    /// <summary>Hash: participant id → participant record (JSON, versioned).</summary>
    public string Participants(string meetingId) => $"{Prefix}:meeting:{meetingId}:participants";

    /// <summary>String: the meeting's last chat sequence (INCR).</summary>
    public string ChatSequence(string meetingId) => $"{Prefix}:meeting:{meetingId}:chat:seq";

    /// <summary>Stream: the chat log; entry id <c>{sequence}-0</c>, trimmed to the retention.</summary>
    public string ChatLog(string meetingId) => $"{Prefix}:meeting:{meetingId}:chat";

    /// <summary>String with a TTL: the sequence stored under one participant's client message id.</summary>
    public string ChatIdempotency(string meetingId, string participantId, string clientMessageId) =>
        $"{Prefix}:meeting:{meetingId}:chat:idem:{participantId}:{clientMessageId}";

    /// <summary>List: the meeting's poll ids in creation order.</summary>
    public string PollIndex(string meetingId) => $"{Prefix}:meeting:{meetingId}:polls";

    /// <summary>Hash: the poll record (question, options JSON, state, times, version).</summary>
    public string Poll(string meetingId, string pollId) => $"{Prefix}:meeting:{meetingId}:poll:{pollId}";

    /// <summary>Hash: participant id → chosen option indexes ("0,2").</summary>
    public string PollBallots(string meetingId, string pollId) => $"{Prefix}:meeting:{meetingId}:poll:{pollId}:ballots";

    /// <summary>Hash: option index → count, plus <c>voters</c> and <c>version</c>.</summary>
    public string PollCounts(string meetingId, string pollId) => $"{Prefix}:meeting:{meetingId}:poll:{pollId}:counts";

    /// <summary>Counter expiring with the window: wrong join codes for the meeting.</summary>
    public string JoinFailures(string meetingId) => $"{Prefix}:meeting:{meetingId}:join-failures";

    /// <summary>Hash with a TTL: one participant's token bucket of one kind (<c>tokens</c>, <c>at</c> in server ms).</summary>
    public string RateLimit(string meetingId, string participantId, string kind) => $"{Prefix}:meeting:{meetingId}:rate:{participantId}:{kind}";

    /// <summary>Sorted set over the deployment: live meeting ids scored by when someone was last in them (unix ms).</summary>
    public string LiveMeetings() => $"{Prefix}:meetings:live";

    /// <summary>Sorted set over the deployment: ended meeting ids scored by when they ended (unix ms), until their retention passes.</summary>
    public string EndedMeetings() => $"{Prefix}:meetings:ended";

    /// <summary>Hash: participant id → presence entry (JSON, versioned).</summary>
    public string Presence(string meetingId) => $"{Prefix}:meeting:{meetingId}:presence";

    /// <summary>Sorted set over all meetings: <c>{meetingId}|{participantId}</c> scored by expiry (unix ms).</summary>
    public string PresenceExpiry() => $"{Prefix}:presence:expiry";

    /// <summary>Hash: the meeting's floor mode and maximum speakers.</summary>
    public string Floor(string meetingId) => $"{Prefix}:meeting:{meetingId}:floor";

    /// <summary>Set: participant ids holding the floor.</summary>
    public string FloorSpeakers(string meetingId) => $"{Prefix}:meeting:{meetingId}:floor:speakers";

    /// <summary>Set: participant ids asking for the floor (moderated meetings).</summary>
    public string FloorRequests(string meetingId) => $"{Prefix}:meeting:{meetingId}:floor:requests";

    /// <summary>Set: participant ids a moderator muted.</summary>
    public string FloorMuted(string meetingId) => $"{Prefix}:meeting:{meetingId}:floor:muted";

    /// <summary>
    /// Pub/sub channel of a meeting's audio, reception reports and floor changes between nodes (the multiplexer's
    /// channel prefix is added to it, as to the backplane's channels).
    /// </summary>
    public static string AudioChannel(string meetingId) => $"audio:{meetingId}";
}
