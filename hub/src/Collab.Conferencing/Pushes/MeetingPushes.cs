using Collab.Conferencing.Audio;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Pushes;

/// <summary>
/// The meeting's pushes as the services make them: each goes to <see cref="IMeetingNotifier"/> through
/// <see cref="BestEffortPushes"/>, so none throws to its caller. Subscribing a connection to its meeting
/// (<see cref="IMeetingNotifier.AddConnectionAsync"/>) is not a push and is called on the notifier itself.
/// </summary>
public sealed class MeetingPushes(IMeetingNotifier notifier, BestEffortPushes pushes)
{
    /// <summary>A chat message to the scope; <paramref name="exceptConnectionId"/> (the sender's connection, whose invocation result carries it) is left out.</summary>
    public Task ChatMessageAsync(string meetingId, ChatMessage message, string? exceptConnectionId = null, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("chat message", meetingId, () => notifier.ChatMessageAsync(meetingId, message, exceptConnectionId, cancellationToken), cancellationToken);

    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("participant joined", meetingId, () => notifier.ParticipantJoinedAsync(meetingId, participant, audience, cancellationToken), cancellationToken);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("participant updated", meetingId, () => notifier.ParticipantUpdatedAsync(meetingId, participant, audience, cancellationToken), cancellationToken);

    public Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("participant left", meetingId, () => notifier.ParticipantLeftAsync(meetingId, participantId, audience, cancellationToken), cancellationToken);

    public Task PollUpdatedAsync(string meetingId, PollView poll, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("poll", meetingId, () => notifier.PollUpdatedAsync(meetingId, poll, audience, cancellationToken), cancellationToken);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("poll tally", meetingId, () => notifier.PollTallyUpdatedAsync(meetingId, tally, cancellationToken), cancellationToken);

    public Task FloorUpdatedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default) =>
        pushes.RunAsync("floor", meetingId, () => notifier.FloorUpdatedAsync(meetingId, floor, cancellationToken), cancellationToken);
}
