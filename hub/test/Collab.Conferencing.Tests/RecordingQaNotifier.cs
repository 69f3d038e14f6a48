using System.Collections.Concurrent;
using Collab.Conferencing.Qa;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Tests;

/// <summary>Records every Q&amp;A and moderation push, in order; tests wait on a condition over them (pushes of coalesced votes run on the thread pool).</summary>
internal sealed class RecordingQaNotifier : IQaNotifier, Moderation.IModerationNotifier
{
    private readonly object _gate = new();
    private readonly List<(Func<RecordingQaNotifier, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public ConcurrentQueue<(string MeetingId, string Event, object Payload)> Events { get; } = new();

    /// <summary>"question" (to everyone), "question:moderators", "removed", "settings", "chat deleted".</summary>
    public IReadOnlyList<T> Of<T>(string @event) => [.. Events.Where(e => e.Event == @event).Select(e => (T)e.Payload)];

    public Task QuestionUpdatedAsync(string meetingId, QuestionView question, PresenceAudience audience, CancellationToken cancellationToken = default) =>
        Record(meetingId, audience == PresenceAudience.Moderators ? "question:moderators" : "question", question);

    public Task QuestionRemovedAsync(string meetingId, QuestionRemovedView removed, CancellationToken cancellationToken = default) => Record(meetingId, "removed", removed);

    public Task QaSettingsUpdatedAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default) => Record(meetingId, "settings", settings);

    public Task ChatMessageDeletedAsync(string meetingId, Moderation.ChatMessageDeletedView deleted, CancellationToken cancellationToken = default) => Record(meetingId, "chat deleted", deleted);

    public async Task WaitForAsync(Func<RecordingQaNotifier, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    private Task Record(string meetingId, string @event, object payload)
    {
        List<TaskCompletionSource> completed = [];
        lock (_gate)
        {
            Events.Enqueue((meetingId, @event, payload));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    completed.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        completed.ForEach(done => done.TrySetResult());
        return Task.CompletedTask;
    }
}
