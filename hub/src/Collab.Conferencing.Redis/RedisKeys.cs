namespace Collab.Conferencing.Redis;

/// <summary>
/// Builds every Redis key and channel name, like aspnetcore's <c>RedisChannels</c> (SignalR group names are the
/// host's: <c>Collab.Hub.Hubs.MeetingGroups</c>). Keys start with the
/// deployment's prefix so several deployments can share one Redis; backplane channels get the same prefix through
/// the multiplexer's <c>ChannelPrefix</c>.
/// </summary>
/// <remarks>
/// Key scheme, ready for Redis Cluster: every key of a meeting is <c>{prefix}:meeting:{{meetingId}}[:part]</c>, e.g.
/// <c>collab:meeting:{w9wqfzeqpn9d}:chat</c>. The braces are a hash tag: Cluster hashes only <c>w9wqfzeqpn9d</c>, so a
/// meeting's keys share one slot and every script or transaction over them runs on one node. Build a new per-meeting
/// key with <see cref="ForMeeting"/> so it gets the tag; a key shared by all meetings (no tag) must never be touched
/// in the same script as a meeting's keys. Presence is the one exception: its keys share the tag <c>{presence}</c>
/// (see <see cref="ForPresence"/>). Neither the prefix nor ids may contain braces (both are validated).
/// </remarks>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>
    /// The meeting's own key (no part) or one of its parts, in the meeting's hash slot. Given a discussion room's scope
    /// id (<c>{meetingId}/{roomId}</c>, <see cref="Collab.Conferencing.Rooms.RoomScopes"/>), the key is the meeting's with the room inside:
    /// <c>collab:meeting:{w9wqfzeqpn9d}:room:r2:chat</c>, so every store keyed by meeting id works per room, in the
    /// meeting's slot.
    /// </summary>
    public string ForMeeting(string meetingId, string? part = null)
    {
        var (meeting, room) = Collab.Conferencing.Rooms.RoomScopes.Parse(meetingId);
        var key = room is null ? $"{Prefix}:meeting:{{{meeting}}}" : $"{Prefix}:meeting:{{{meeting}}}:room:{room}";
        return part is null ? key : $"{key}:{part}";
    }

    /// <summary>Hash: the meeting's rooms: <c>v</c> (version), <c>seq</c> (last room number), <c>self</c> (self-organised: 1), <c>r:{roomId}</c> (the room, JSON), <c>c:{roomId}</c> (closed at, unix ms).</summary>
    public string Rooms(string meetingId) => ForMeeting(meetingId, "rooms");

    /// <summary>Hash: participant id → <c>{roomId}|{displayName}</c> of everyone in a discussion room (absent: the main room).</summary>
    public string RoomsWhere(string meetingId) => ForMeeting(meetingId, "rooms:where");

    /// <summary>Sorted set over the deployment (tag <c>{rooms}</c>): <c>{meetingId}|{roomId}</c> of timed rooms scored by their closing time (unix ms).</summary>
    public string RoomsDue() => $"{Prefix}:{{rooms}}:due";

    /// <summary>Hash: the meeting record (title, join code, moderator key hash, times, version).</summary>
    public string Meeting(string meetingId) => ForMeeting(meetingId);

    /// <summary>Hash: participant id → participant record (JSON, versioned).</summary>
    public string Participants(string meetingId) => ForMeeting(meetingId, "participants");

    /// <summary>String: the meeting's last chat sequence (INCR).</summary>
    public string ChatSequence(string meetingId) => ForMeeting(meetingId, "chat:seq");

    /// <summary>Stream: the chat log; entry id <c>{sequence}-0</c>, trimmed to the retention.</summary>
    public string ChatLog(string meetingId) => ForMeeting(meetingId, "chat");

    /// <summary>Hash: sequence → a deleted message's place (JSON: client id, sender, name, time; never its text).</summary>
    public string ChatDeleted(string meetingId) => ForMeeting(meetingId, "chat:deleted");

    /// <summary>String with a TTL: the sequence stored under one participant's client message id.</summary>
    public string ChatIdempotency(string meetingId, string participantId, string clientMessageId) => ForMeeting(meetingId, $"chat:idem:{participantId}:{clientMessageId}");

    /// <summary>List: the meeting's poll ids in creation order.</summary>
    public string PollIndex(string meetingId) => ForMeeting(meetingId, "polls");

    /// <summary>Hash: the poll record (question, options JSON, state, times, version).</summary>
    public string Poll(string meetingId, string pollId) => ForMeeting(meetingId, $"poll:{pollId}");

    /// <summary>Hash: participant id → chosen option indexes ("0,2").</summary>
    public string PollBallots(string meetingId, string pollId) => ForMeeting(meetingId, $"poll:{pollId}:ballots");

    /// <summary>Hash: option index → count, plus <c>voters</c> and <c>version</c>.</summary>
    public string PollCounts(string meetingId, string pollId) => ForMeeting(meetingId, $"poll:{pollId}:counts");

    /// <summary>Counter expiring with the window: wrong join codes for the meeting.</summary>
    public string JoinFailures(string meetingId) => ForMeeting(meetingId, "join-failures");

    /// <summary>Hash with a TTL: one participant's token bucket of one kind (<c>tokens</c>, <c>at</c> in server ms).</summary>
    public string RateLimit(string meetingId, string participantId, Collab.Conferencing.Limits.RateLimitKind kind) => ForMeeting(meetingId, $"rate:{participantId}:{kind.ToString().ToLowerInvariant()}");

    /// <summary>
    /// Sorted set over the deployment: live meeting ids scored by when someone was last in them (unix ms). The
    /// deployment's meeting indexes share the hash tag <c>{meetings}</c>, so the script that moves a meeting from live
    /// to ended touches one Cluster slot; no script touches them with a meeting's own keys.
    /// </summary>
    public string LiveMeetings() => $"{Prefix}:{{meetings}}:live";

    /// <summary>Sorted set over the deployment (tag <c>{meetings}</c>): ended meeting ids scored by when they ended (unix ms), until their retention passes.</summary>
    public string EndedMeetings() => $"{Prefix}:{{meetings}}:ended";

    /// <summary>
    /// A presence key. Presence scripts join a meeting's entries with the nodes' record sets and the leases, so every
    /// presence key shares the one hash tag <c>{presence}</c> (one Cluster slot): presence writes happen per join,
    /// leave and hand and per node heartbeat, never per idle participant, so one slot carries them.
    /// </summary>
    private string ForPresence(string part) => $"{Prefix}:{{presence}}:{part}";

    /// <summary>Hash: participant id → presence entry (JSON, versioned: view, hand, ids of the nodes holding it).</summary>
    public string Presence(string meetingId) => ForPresence($"meeting:{meetingId}");

    /// <summary>Sorted set: node id → when its presence lease lapses (unix ms), renewed by the node's heartbeat.</summary>
    public string PresenceLeases() => ForPresence("leases");

    /// <summary>Sorted set: node id of a lapsed lease → when the node sweeping it must have finished (unix ms).</summary>
    public string PresenceClaims() => ForPresence("claims");

    /// <summary>Set: <c>{meetingId}|{participantId}</c> of every participant recorded under one node's lease.</summary>
    public string PresenceNode(string nodeId) => ForPresence($"node:{nodeId}");

    /// <summary>Hash: the meeting's floor mode and maximum speakers.</summary>
    public string Floor(string meetingId) => ForMeeting(meetingId, "floor");

    /// <summary>Set: participant ids holding the floor.</summary>
    public string FloorSpeakers(string meetingId) => ForMeeting(meetingId, "floor:speakers");

    /// <summary>Set: participant ids asking for the floor (moderated meetings).</summary>
    public string FloorRequests(string meetingId) => ForMeeting(meetingId, "floor:requests");

    /// <summary>Set: participant ids a moderator muted.</summary>
    public string FloorMuted(string meetingId) => ForMeeting(meetingId, "floor:muted");

    /// <summary>Hash: the meeting's lobby settings (<c>enabled</c>, <c>locked</c>) and the lobby's <c>version</c>.</summary>
    public string Lobby(string meetingId) => ForMeeting(meetingId, "lobby");

    /// <summary>Hash: waiter id → waiter record (JSON, versioned) of everyone waiting in the meeting's lobby.</summary>
    public string LobbyWaiting(string meetingId) => ForMeeting(meetingId, "lobby:waiting");

    /// <summary>Hash: participant id → <c>removed</c> or <c>denied</c>, for those who may not come back.</summary>
    public string Excluded(string meetingId) => ForMeeting(meetingId, "excluded");

    /// <summary>Pub/sub channel over the deployment: what nodes tell each other (removals, participant changes, room moves; <see cref="RedisNodeSignals"/>), heard by every node (the channel prefix is added).</summary>
    public static string SignalsChannel() => "signals";

    /// <summary>
    /// Pub/sub channel of a meeting's audio between nodes, subscribed by the nodes with a member receiving audio (the
    /// multiplexer's channel prefix is added to it, as to the backplane's channels).
    /// </summary>
    public static string AudioChannel(string meetingId) => $"audio:{meetingId}";

    /// <summary>Pub/sub channel of a meeting's reception reports and floor changes, subscribed by every node serving a member.</summary>
    public static string AudioControlChannel(string meetingId) => $"audio:{meetingId}:control";

    /// <summary>Hash: the meeting's Q&amp;A: <c>seq</c> (last question number), <c>anonymous</c> (allowed: 1), <c>highlighted</c> (question id).</summary>
    public string Qa(string meetingId) => ForMeeting(meetingId, "qa");

    /// <summary>Hash: question id → the question as asked (JSON, versioned: author, text, time).</summary>
    public string QaQuestions(string meetingId) => ForMeeting(meetingId, "qa:questions");

    /// <summary>Hash: <c>{questionId}:votes</c>, <c>{questionId}:flags</c>, <c>{questionId}:v</c> (version) of every question.</summary>
    public string QaState(string meetingId) => ForMeeting(meetingId, "qa:state");

    /// <summary>Set: <c>{questionId}|{participantId}</c> of every upvote.</summary>
    public string QaUpvotes(string meetingId) => ForMeeting(meetingId, "qa:upvotes");

    /// <summary>Hash: <c>{participantId}|{clientQuestionId}</c> → question id, for idempotent resends.</summary>
    public string QaClientIds(string meetingId) => ForMeeting(meetingId, "qa:client-ids");

    /// <summary>Hash: the list of speakers' <c>seq</c> (last place given), <c>version</c>, <c>current</c> (the list's speaker), <c>limit</c> (seconds).</summary>
    public string Speakers(string meetingId) => ForMeeting(meetingId, "speakers");

    /// <summary>Sorted set: participant id → its place (seq) on the list of speakers.</summary>
    public string SpeakersQueue(string meetingId) => ForMeeting(meetingId, "speakers:queue");

    /// <summary>Hash: participant id → when it asked to speak (unix ms).</summary>
    public string SpeakersAsked(string meetingId) => ForMeeting(meetingId, "speakers:asked");

    /// <summary>Hash: participant id → its finished turns' speaking time (ms).</summary>
    public string SpeakersTime(string meetingId) => ForMeeting(meetingId, "speakers:time");

    /// <summary>Hash: participant id → how many turns it had.</summary>
    public string SpeakersTurns(string meetingId) => ForMeeting(meetingId, "speakers:turns");

    /// <summary>Hash: participant id → when its running turn started (unix ms), for those holding the floor.</summary>
    public string SpeakersSpeaking(string meetingId) => ForMeeting(meetingId, "speakers:speaking");

    /// <summary>Every key of a meeting's list of speakers (for the retention expiry when it ends).</summary>
    public IEnumerable<string> SpeakersKeys(string meetingId) =>
        [Speakers(meetingId), SpeakersQueue(meetingId), SpeakersAsked(meetingId), SpeakersTime(meetingId), SpeakersTurns(meetingId), SpeakersSpeaking(meetingId)];

    /// <summary>Every Q&amp;A key of a meeting (for the retention expiry when it ends).</summary>
    public IEnumerable<string> QaKeys(string meetingId) => [Qa(meetingId), QaQuestions(meetingId), QaState(meetingId), QaUpvotes(meetingId), QaClientIds(meetingId)];
}
