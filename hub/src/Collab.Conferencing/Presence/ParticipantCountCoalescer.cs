using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Presence;

/// <summary>
/// Pushes a large meeting's participant count to everyone, at most once per
/// <see cref="ConferencingOptions.ParticipantCountPushIntervalMilliseconds"/> per meeting on this node, each push
/// reading the count from the store: while a meeting is over <see cref="ConferencingOptions.PresenceBroadcastLimit"/>,
/// this replaces the per-join pushes for everyone but the moderators. One more push follows when the meeting falls
/// back under the limit, so clients know to fetch the list again.
/// </summary>
public sealed class ParticipantCountCoalescer : IDisposable
{
    private readonly IPresenceStore _store;
    private readonly IMeetingNotifier _notifier;
    private readonly IOptions<ConferencingOptions> _options;
    private readonly MeetingPushCoalescer _coalescer;

    public ParticipantCountCoalescer(IPresenceStore store, IMeetingNotifier notifier, BestEffortPushes pushes, IOptions<ConferencingOptions> options, TimeProvider time)
    {
        _store = store;
        _notifier = notifier;
        _options = options;
        _coalescer = new MeetingPushCoalescer(time, TimeSpan.FromMilliseconds(options.Value.ParticipantCountPushIntervalMilliseconds), pushes, "participant count", PushAsync);
    }

    /// <summary>Presence changed in a meeting that now has <paramref name="count"/> entries.</summary>
    public void Changed(string meetingId, int count) => _coalescer.Changed(meetingId, start: count > _options.Value.PresenceBroadcastLimit);

    public void Dispose() => _coalescer.Dispose();

    private async Task PushAsync(string meetingId)
    {
        var count = await _store.CountAsync(meetingId);
        var listed = count <= _options.Value.PresenceBroadcastLimit;
        await _notifier.ParticipantCountAsync(meetingId, new ParticipantCountView(count, listed));
        if (listed)
        {
            _coalescer.ForgetUnlessScheduled(meetingId);
        }
    }
}
