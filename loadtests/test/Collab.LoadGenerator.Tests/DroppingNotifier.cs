using Collab.Conferencing;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.LoadGenerator.Tests;

/// <summary>A planted fault: passes every push through except the chat messages <paramref name="drop"/> picks, which nobody receives.</summary>
internal sealed class DroppingNotifier(IMeetingNotifier inner, Func<ChatMessage, bool> drop) : IMeetingNotifier
{
    public Task AddConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => inner.AddConnectionAsync(connectionId, meetingId, moderator, cancellationToken);

    public Task RemoveConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => inner.RemoveConnectionAsync(connectionId, meetingId, moderator, cancellationToken);

    public Task ChatMessageAsync(string meetingId, ChatMessage message, string? exceptConnectionId = null, CancellationToken cancellationToken = default) =>
        drop(message) ? Task.CompletedTask : inner.ChatMessageAsync(meetingId, message, exceptConnectionId, cancellationToken);

    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantJoinedAsync(meetingId, participant, audience, cancellationToken);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantUpdatedAsync(meetingId, participant, audience, cancellationToken);

    public Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken);

    public Task ParticipantCountAsync(string meetingId, ParticipantCountView count, CancellationToken cancellationToken = default) => inner.ParticipantCountAsync(meetingId, count, cancellationToken);

    public Task PollUpdatedAsync(string meetingId, PollView poll, PresenceAudience audience, CancellationToken cancellationToken = default) => inner.PollUpdatedAsync(meetingId, poll, audience, cancellationToken);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) => inner.PollTallyUpdatedAsync(meetingId, tally, cancellationToken);

    public Task FloorUpdatedAsync(string meetingId, Collab.Conferencing.Audio.FloorView floor, CancellationToken cancellationToken = default) => inner.FloorUpdatedAsync(meetingId, floor, cancellationToken);

    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) => inner.MeetingEndedAsync(meetingId, cancellationToken);
}
