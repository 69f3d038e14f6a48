using System.Collections.Concurrent;
using Collab.Conferencing.Model;

namespace Collab.Conferencing.Tests;

/// <summary>Records every push the domain makes, in order, so tests can assert what members were told.</summary>
internal sealed class RecordingNotifier : IMeetingNotifier
{
    public ConcurrentQueue<(string MeetingId, string Event, object? Payload)> Events { get; } = new();

    public IReadOnlyList<T> Of<T>(string @event) => [.. Events.Where(e => e.Event == @event).Select(e => (T)e.Payload!)];

    public Task AddConnectionAsync(string connectionId, string meetingId, CancellationToken cancellationToken = default) => Record(meetingId, "add", connectionId);

    public Task RemoveConnectionAsync(string connectionId, string meetingId, CancellationToken cancellationToken = default) => Record(meetingId, "remove", connectionId);

    public Task ChatMessageAsync(string meetingId, ChatMessage message, CancellationToken cancellationToken = default) => Record(meetingId, "chat", message);

    public Task ParticipantJoinedAsync(string meetingId, ParticipantView participant, CancellationToken cancellationToken = default) => Record(meetingId, "joined", participant);

    public Task ParticipantUpdatedAsync(string meetingId, ParticipantView participant, CancellationToken cancellationToken = default) => Record(meetingId, "updated", participant);

    public Task ParticipantLeftAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) => Record(meetingId, "left", participantId);

    public Task PollUpdatedAsync(string meetingId, PollView poll, CancellationToken cancellationToken = default) => Record(meetingId, "poll", poll);

    public Task PollTallyUpdatedAsync(string meetingId, PollTally tally, CancellationToken cancellationToken = default) => Record(meetingId, "tally", tally);

    public Task MeetingEndedAsync(string meetingId, CancellationToken cancellationToken = default) => Record(meetingId, "ended", null);

    private Task Record(string meetingId, string @event, object? payload)
    {
        Events.Enqueue((meetingId, @event, payload));
        return Task.CompletedTask;
    }
}
