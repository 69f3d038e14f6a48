using System.Collections.Concurrent;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests;

/// <summary>Records every push the domain makes, in order, so tests can assert what members were told.</summary>
internal sealed class RecordingNotifier : IMeetingNotifier
{
    public ConcurrentQueue<(string MeetingId, string Event, object? Payload)> Events { get; } = new();

    /// <summary>Which pushes fail (throw, as a broken transport or backplane would); none unless a test says so.</summary>
    public Func<string, bool> Fails { get; set; } = _ => false;

    public IReadOnlyList<T> Of<T>(string @event) => [.. Events.Where(e => e.Event == @event).Select(e => (T)e.Payload!)];

    public Task AddConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => Record(meetingId, "add", connectionId);

    public Task RemoveConnectionAsync(string connectionId, string meetingId, bool moderator, CancellationToken cancellationToken = default) => Record(meetingId, "remove", connectionId);

    public Task ChatMessageAsync(string meetingId, ChatMessage message, string? exceptConnectionId = null, CancellationToken cancellationToken = default) => Record(meetingId, "chat", message);

    /// <summary>Presence events to everyone are "joined", "updated", "left"; to moderators only, the same with ":moderators".</summary>
    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => Record(meetingId, Named("joined", audience), participant);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, PresenceAudience audience, CancellationToken cancellationToken = default) => Record(meetingId, Named("updated", audience), participant);

    public Task ParticipantLeftAsync(string meetingId, string participantId, PresenceAudience audience, CancellationToken cancellationToken = default) => Record(meetingId, Named("left", audience), participantId);

    public Task ParticipantCountAsync(string meetingId, ParticipantCountView count, CancellationToken cancellationToken = default) => Record(meetingId, "count", count);

    public Task PollUpdatedAsync(string meetingId, PollView poll, PresenceAudience audience, CancellationToken cancellationToken = default) => Record(meetingId, "poll", poll);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) => Record(meetingId, "tally", tally);

    public Task FloorUpdatedAsync(string meetingId, Audio.FloorView floor, CancellationToken cancellationToken = default) => Record(meetingId, "floor", floor);

    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) => Record(meetingId, "ended", null);

    private static string Named(string @event, PresenceAudience audience) => audience == PresenceAudience.Moderators ? $"{@event}:moderators" : @event;

    private Task Record(string meetingId, string @event, object? payload)
    {
        if (Fails(@event))
        {
            throw new InvalidOperationException($"The {@event} push failed (planted).");
        }

        Events.Enqueue((meetingId, @event, payload));
        return Task.CompletedTask;
    }
}
