using Microsoft.Extensions.Logging;

namespace Collab.Conferencing;

/// <summary>
/// Conferencing logs, event ids 2000–2999. Never logs chat text, codes, keys or tokens. A caller's refusal (a wrong
/// code, a bad token) is logged below warning and without an exception; warnings and errors are the hub's own faults.
/// </summary>
internal static partial class ConferencingLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Meeting {MeetingId} created")]
    public static partial void MeetingCreated(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Participant {ParticipantId} joined meeting {MeetingId} as {Role} (resumed: {Resumed})")]
    public static partial void Joined(ILogger logger, string participantId, string meetingId, string role, bool resumed);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Participant {ParticipantId} left meeting {MeetingId}")]
    public static partial void Left(ILogger logger, string participantId, string meetingId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Wrong join code for meeting {MeetingId}")]
    public static partial void WrongJoinCode(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Meeting {MeetingId} ended by {ParticipantId}")]
    public static partial void MeetingEnded(ILogger logger, string meetingId, string participantId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Push of {Event} to meeting {MeetingId} failed; clients will catch up from the store")]
    public static partial void PushFailed(ILogger logger, string @event, string meetingId, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Poll {PollId} in meeting {MeetingId} is now {State}")]
    public static partial void PollStateChanged(ILogger logger, string pollId, string meetingId, string state);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Participant {ParticipantId} of meeting {MeetingId} left with its lapsed node")]
    public static partial void PresenceExpired(ILogger logger, string participantId, string meetingId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Presence heartbeat failed; retrying next interval")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "No Collab:Conferencing:ResumeTokenKey configured: resume tokens work only on this node until it restarts")]
    public static partial void EphemeralTokenKey(ILogger logger);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Invalid resume token presented for meeting {MeetingId}")]
    public static partial void InvalidResumeToken(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Meeting {MeetingId} ended: nobody was in it for {Minutes} min")]
    public static partial void IdleMeetingEnded(ILogger logger, string meetingId, int minutes);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Meeting {MeetingId} evicted: its retention has passed")]
    public static partial void MeetingEvicted(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Meeting lifecycle sweep failed; retrying next interval")]
    public static partial void LifecycleSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Disconnect cleanup for participant {ParticipantId} of meeting {MeetingId} failed; the node's heartbeats reconcile its presence")]
    public static partial void DisconnectCleanupFailed(ILogger logger, string participantId, string meetingId, Exception exception);

    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning, Message = "This node's presence lease {LostNodeId} lapsed (it stalled past the presence timeout, or Redis lost it); recording its {Count} participants again as node {NodeId}")]
    public static partial void PresenceLeaseLost(ILogger logger, string lostNodeId, string nodeId, int count);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Information, Message = "Swept the participants of lapsed node {NodeId}: {Count} left")]
    public static partial void NodeSwept(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "Reconciling presence of node {NodeId} with its connections ({Count} participants)")]
    public static partial void PresenceReconciled(ILogger logger, string nodeId, int count);
}
