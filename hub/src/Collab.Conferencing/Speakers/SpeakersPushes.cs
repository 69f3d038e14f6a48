using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Speakers;

/// <summary>
/// Coalesces <c>SpeakersUpdated</c> as tallies are: the first change of a quiet list is pushed at once, later ones at
/// most once per <see cref="ConferencingOptions.TallyPushIntervalMilliseconds"/> per meeting on this node, each push
/// reading the list as stored (a town hall where hundreds ask at once costs a few pushes, the last one exact).
/// </summary>
public sealed partial class SpeakersPushes : IDisposable
{
    private readonly MeetingPushCoalescer _pushes;

    public SpeakersPushes(ISpeakerStore store, ISpeakersNotifier notifier, IOptions<ConferencingOptions> options, TimeProvider time, ILogger<SpeakersPushes> logger) =>
        _pushes = new MeetingPushCoalescer(
            time,
            TimeSpan.FromMilliseconds(options.Value.TallyPushIntervalMilliseconds),
            async meetingId => await notifier.SpeakersUpdatedAsync(meetingId, (await store.GetAsync(meetingId)).View(time.GetUtcNow().ToUnixTimeMilliseconds())),
            (meetingId, exception) => PushFailed(logger, meetingId, exception));

    public void Changed(string meetingId) => _pushes.Changed(meetingId);

    public void Dispose() => _pushes.Dispose();

    [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Pushing the list of speakers of meeting {MeetingId} failed")]
    private static partial void PushFailed(ILogger logger, string meetingId, Exception exception);
}
