using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;
using Collab.Conferencing.Audio;

namespace Collab.Conferencing;

/// <summary>
/// Pushes events to the members of a meeting, on every node. The host implements it over SignalR; the domain never
/// sees a hub. A push is best effort: what matters is already in a store, and clients catch up from there; the services
/// push through <see cref="Pushes.MeetingPushes"/>, which logs and counts a failed push instead of failing the call.
/// </summary>
public interface IMeetingNotifier
{
    /// <summary>Subscribes a connection to its meeting's pushes (and a moderator's also to those for moderators only).</summary>
    Task AddConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default);

    Task RemoveConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default);

    /// <summary>To everyone in the chat's scope except <paramref name="exceptConnectionId"/> (the sender's connection: its invocation result has the message).</summary>
    Task ChatMessageAsync(string meetingId, ChatMessage message, string? exceptConnectionId = null, CancellationToken cancellationToken = default);

    Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default);

    Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default);

    Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default);

    /// <summary>How many are present (coalesced; sent while a meeting is over the presence broadcast limit, and once when it falls back).</summary>
    Task ParticipantCountAsync(string meetingId, ParticipantCountView count, CancellationToken cancellationToken = default);

    /// <summary>A poll changed; a draft goes to the moderators only (<paramref name="audience"/>).</summary>
    Task PollUpdatedAsync(string meetingId, PollView poll, PresenceAudience audience, CancellationToken cancellationToken = default);

    Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default);

    /// <summary>Tells every member of the floor's scope (the main room or one discussion room, on every node) who holds the floor.</summary>
    Task FloorUpdatedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default);

    Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default);
}
