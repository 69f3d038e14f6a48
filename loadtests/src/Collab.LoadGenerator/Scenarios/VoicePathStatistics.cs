using System.Collections.Concurrent;
using System.Globalization;
using Collab.Codec.Statistics;
using Collab.Conferencing.Voice;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// The voice figures split by the path each participant's voice took (<see cref="VoicePaths"/>): a speaker or listener
/// counts on the path its voice channel ended the run on; a sampled listener's mouth-to-ear samples count on the path
/// it was on when the frame played, its concealment and STOI on its path at the end.
/// </summary>
internal sealed class VoicePathStatistics
{
    private readonly ConcurrentDictionary<string, Figures> _paths = new(StringComparer.Ordinal);

    public Figures For(string path) => _paths.GetOrAdd(path, _ => new Figures());

    public IReadOnlyList<VoicePathResult> Results() =>
        [.. _paths.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Result(p.Key))];

    internal sealed class Figures
    {
        private long _speakers;
        private long _listeners;
        private long _decoded;
        private long _recovered;
        private long _concealed;
        private long _stalled;

        public LatencySamples MouthToEar { get; } = new(100_000);

        public ConcurrentBag<double> Intelligibility { get; } = [];

        public void Speaker() => Interlocked.Increment(ref _speakers);

        public void Listener() => Interlocked.Increment(ref _listeners);

        public void Played(long decoded, long recovered, long concealed, long stalled)
        {
            Interlocked.Add(ref _decoded, decoded);
            Interlocked.Add(ref _recovered, recovered);
            Interlocked.Add(ref _concealed, concealed);
            Interlocked.Add(ref _stalled, stalled);
        }

        public VoicePathResult Result(string path)
        {
            var mouthToEar = MouthToEar.Sorted();
            var media = _decoded + _recovered + _concealed + _stalled;
            var scores = Intelligibility.Order().ToList();
            return new VoicePathResult(
                path,
                (int)Interlocked.Read(ref _speakers),
                (int)Interlocked.Read(ref _listeners),
                mouthToEar.Length,
                mouthToEar.Length == 0 ? null : Percentile.OfSorted((IReadOnlyList<double>)mouthToEar, 0.50),
                mouthToEar.Length == 0 ? null : Percentile.OfSorted((IReadOnlyList<double>)mouthToEar, 0.95),
                mouthToEar.Length == 0 ? null : Percentile.OfSorted((IReadOnlyList<double>)mouthToEar, 0.99),
                media == 0 ? null : (_concealed + _stalled) / (double)media,
                scores.Count == 0 ? null : Percentile.OfSorted((IReadOnlyList<double>)scores, 0.5));
        }
    }
}

/// <summary>One voice path's figures in results.json (null where no sampled listener played anything on it).</summary>
internal sealed record VoicePathResult(
    string Path,
    int Speakers,
    int Listeners,
    int MouthToEarSamples,
    double? MouthToEarP50Milliseconds,
    double? MouthToEarP95Milliseconds,
    double? MouthToEarP99Milliseconds,
    double? ConcealedFraction,
    double? MedianStoi)
{
    public string Summary() =>
        $"{Path}: {Speakers} speakers, {Listeners} listeners, mouth-to-ear " +
        (MouthToEarP50Milliseconds is { } p50 ? $"p50 {p50:0} ms, p95 {MouthToEarP95Milliseconds:0} ms, p99 {MouthToEarP99Milliseconds:0} ms" : "n/a") +
        $", concealed {(ConcealedFraction is { } c ? c.ToString("P2", CultureInfo.InvariantCulture) : "n/a")}" +
        $", median STOI {(MedianStoi is { } s ? s.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")}";
}
