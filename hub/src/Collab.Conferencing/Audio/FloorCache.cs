using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Collab.Conferencing.Audio;

/// <summary>
/// This node's view of each meeting's floor, so checking a speaker's right to publish costs no store round trip per
/// batch. Changes made anywhere arrive at once over the audio bus; the cache also re-reads the store after
/// <see cref="AudioOptions.FloorCacheMilliseconds"/>, in case a bus message was lost.
/// </summary>
public sealed class FloorCache(IFloorStore store, IOptions<AudioOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (FloorView View, long ReadAt)> _floors = new(StringComparer.Ordinal);

    public async ValueTask<FloorView> GetAsync(string meetingId, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        if (_floors.TryGetValue(meetingId, out var cached) && time.GetElapsedTime(cached.ReadAt, now).TotalMilliseconds < options.Value.FloorCacheMilliseconds)
        {
            return cached.View;
        }

        var view = await store.GetAsync(meetingId, options.Value.DefaultMaxSpeakers, cancellationToken);
        Set(meetingId, view);
        return view;
    }

    /// <summary>Floor holders across the meetings this node serves (for the <c>collab.audio.speakers</c> metric).</summary>
    public int SpeakerCount => _floors.Values.Sum(entry => entry.View.Speakers.Count);

    public void Set(string meetingId, FloorView view) => _floors[meetingId] = (view, time.GetTimestamp());

    public void Forget(string meetingId) => _floors.TryRemove(meetingId, out _);
}
