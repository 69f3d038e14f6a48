using System.ComponentModel.DataAnnotations;

namespace Collab.Conferencing;

/// <summary>Limits and timings of meetings, chat, polls and presence. Every value has a safe default.</summary>
public sealed class ConferencingOptions
{
    public const string SectionName = "Collab:Conferencing";

    /// <summary>
    /// Base64 HMAC-SHA256 key (at least 32 bytes) that signs resume tokens. Every node of a deployment must share it,
    /// or a token issued by one node is refused by another. Empty: a random key per process (single node only).
    /// </summary>
    [RegularExpression("^([A-Za-z0-9+/=]{44,})?$", ErrorMessage = "ResumeTokenKey must be empty or base64 of at least 32 bytes.")]
    public string ResumeTokenKey { get; set; } = string.Empty;

    /// <summary>How long a resume token stays valid after it was issued.</summary>
    [Range(1, 24 * 30)]
    public int ResumeTokenLifetimeHours { get; set; } = 24;

    [Range(1, 500)]
    public int MaxTitleLength { get; set; } = 200;

    [Range(1, 200)]
    public int MaxDisplayNameLength { get; set; } = 64;

    /// <summary>Longest chat message, in UTF-16 characters.</summary>
    [Range(1, 100_000)]
    public int MaxChatMessageLength { get; set; } = 2_000;

    /// <summary>How many messages a meeting keeps; older ones are trimmed (history and catch-up stop there).</summary>
    [Range(10, 1_000_000)]
    public int ChatRetentionMessages { get; set; } = 10_000;

    /// <summary>
    /// How long an ended meeting's record (chat, polls, participants) is kept for export before it is evicted: Redis
    /// expires its keys, the in-memory stores drop it at the next lifecycle sweep.
    /// </summary>
    [Range(1, 24 * 365 * 10)]
    public int EndedMeetingRetentionHours { get; set; } = 24 * 30;

    /// <summary>Live (not ended) meetings a deployment runs at most; creating one more is refused (503) until one ends.</summary>
    [Range(1, 10_000_000)]
    public int MaxLiveMeetings { get; set; } = 10_000;

    /// <summary>A live meeting nobody has been in for this long (or, never joined, since its creation) is ended.</summary>
    [Range(1, 60 * 24 * 365)]
    public int IdleMeetingEndMinutes { get; set; } = 120;

    /// <summary>How often each node marks its meetings occupied, ends idle ones and evicts expired ones.</summary>
    [Range(1, 3_600)]
    public int LifecycleSweepSeconds { get; set; } = 30;

    /// <summary>How long a client message id is remembered for idempotent resends.</summary>
    [Range(1, 24 * 30)]
    public int ChatIdempotencyHours { get; set; } = 24;

    /// <summary>Largest page of chat a client may ask for.</summary>
    [Range(1, 1_000)]
    public int MaxChatPageSize { get; set; } = 200;

    /// <summary>The chat history page a join carries (<see cref="Model.JoinResult.ChatHistory"/>): the newest messages, at most <see cref="MaxChatPageSize"/>.</summary>
    [Range(1, 1_000)]
    public int JoinChatHistorySize { get; set; } = 100;

    [Range(1, 2_000)]
    public int MaxPollQuestionLength { get; set; } = 500;

    [Range(1, 500)]
    public int MaxPollOptionLength { get; set; } = 200;

    /// <summary>Least time between two live tally pushes of one poll from one node (bursts are coalesced).</summary>
    [Range(10, 60_000)]
    public int TallyPushIntervalMilliseconds { get; set; } = 250;

    /// <summary>
    /// How long a node's presence lease lasts unless renewed: a node silent this long (dead, or cut off) loses it and
    /// its participants leave within this plus one heartbeat. At least twice <see cref="HeartbeatIntervalSeconds"/>.
    /// </summary>
    [Range(1, 3_600)]
    public double PresenceTimeoutSeconds { get; set; } = 20;

    /// <summary>How often a node renews its presence lease (one store call, whatever its audience) and sweeps lapsed nodes.</summary>
    [Range(0.05, 600)]
    public double HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Above this many present, joins, leaves and raised hands are pushed to moderators only, and everyone else gets
    /// the participant count (coalesced) and the list on request: pushing every join to everyone costs O(N²), which a
    /// town hall of thousands cannot afford (10,000 joins would be 50 million pushes).
    /// </summary>
    [Range(2, 100_000)]
    public int PresenceBroadcastLimit { get; set; } = 200;

    /// <summary>Least time between two participant-count pushes of one meeting from one node.</summary>
    [Range(100, 60_000)]
    public int ParticipantCountPushIntervalMilliseconds { get; set; } = 2_000;

    /// <summary>Sustained chat messages per second per participant, and the burst allowed above it.</summary>
    [Range(0.1, 100_000)]
    public double ChatMessagesPerSecond { get; set; } = 2;

    [Range(1, 100_000)]
    public int ChatBurst { get; set; } = 10;

    /// <summary>Sustained votes per second per participant, and the burst allowed above it.</summary>
    [Range(0.1, 100_000)]
    public double VotesPerSecond { get; set; } = 2;

    [Range(1, 100_000)]
    public int VoteBurst { get; set; } = 10;

    /// <summary>Wrong join codes accepted per meeting within the window before further code attempts are refused.</summary>
    [Range(1, 100_000)]
    public int WrongJoinCodeLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int WrongJoinCodeWindowSeconds { get; set; } = 60;

    /// <summary>Longest question, in UTF-16 characters.</summary>
    [Range(1, 10_000)]
    public int MaxQuestionLength { get; set; } = 500;

    /// <summary>Questions a meeting takes at most (its Q&amp;A list stays one bounded read).</summary>
    [Range(1, 100_000)]
    public int MaxQuestionsPerMeeting { get; set; } = 1_000;

    /// <summary>Sustained questions per second per participant, and the burst allowed above it (upvotes count as votes).</summary>
    [Range(0.001, 100_000)]
    public double QuestionsPerSecond { get; set; } = 0.2;

    [Range(1, 100_000)]
    public int QuestionBurst { get; set; } = 3;

    /// <summary>Sustained renames and requests to speak (or withdrawals) per second per participant, and the burst above it.</summary>
    [Range(0.001, 100_000)]
    public double ParticipationChangesPerSecond { get; set; } = 0.5;

    [Range(1, 100_000)]
    public int ParticipationChangeBurst { get; set; } = 5;

    /// <summary>People the list of speakers takes at most (its view stays one bounded read).</summary>
    [Range(1, 10_000)]
    public int MaxSpeakersQueue { get; set; } = 500;
}
