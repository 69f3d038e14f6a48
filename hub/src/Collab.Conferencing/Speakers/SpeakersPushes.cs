using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Speakers;

/// <summary>
/// Coalesces <c>SpeakersUpdated</c> as tallies are: the first change of a quiet list is pushed at once, later ones at
/// most once per <see cref="ConferencingOptions.TallyPushIntervalMilliseconds"/> per meeting on this node, each push
/// reading the list as stored (a town hall where hundreds ask at once costs a few pushes, the last one exact).
/// </summary>
public sealed class SpeakersPushes : IDisposable
{
    private readonly MeetingPushCoalescer _pushes;

    public SpeakersPushes(ISpeakerStore store, ISpeakersNotifier notifier, IOptions<ConferencingOptions> options, TimeProvider time, Pushes.BestEffortPushes pushes) =>
        _pushes = new MeetingPushCoalescer(
            time,
            TimeSpan.FromMilliseconds(options.Value.TallyPushIntervalMilliseconds),
            pushes,
            "speakers",
            async meetingId => await notifier.SpeakersUpdatedAsync(meetingId, (await store.GetAsync(meetingId)).View(time.GetUtcNow().ToUnixTimeMilliseconds())));

    public void Changed(string meetingId) => _pushes.Changed(meetingId);

    public void Dispose() => _pushes.Dispose();
}
