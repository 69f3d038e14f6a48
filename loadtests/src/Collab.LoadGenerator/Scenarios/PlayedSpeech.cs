using Collab.Codec;
using Collab.Codec.Intelligibility;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// What one sampled listener played of one speaker, placed at its media time in consecutive 10 s windows (at most
/// <see cref="MaxWindows"/>), each scored by STOI against the speech the speaker sent for that media time. Gaps the
/// listener never played (outages, stalls) stay silent and lower the score, as they would for a person listening.
/// </summary>
internal sealed class PlayedSpeech(SpokenAudio spoken)
{
    public const int MaxWindows = 6;
    private const int WindowSamples = VoiceFormat.SampleRate * 10;
    private readonly List<(long Start, float[] Samples)> _windows = [];

    /// <summary>Places one played frame (its media timestamp as the jitter buffer reports it).</summary>
    public void Played(ReadOnlySpan<short> samples, long timestamp)
    {
        var position = timestamp - spoken.LookaheadSamples;
        if (position < 0)
        {
            return;
        }

        if (_windows.Count == 0)
        {
            _windows.Add((position, new float[WindowSamples]));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            var (start, window) = _windows[^1];
            var offset = position + i - start;
            if (offset >= WindowSamples)
            {
                if (_windows.Count == MaxWindows)
                {
                    return;
                }

                // The next window starts where this one ends, so windows tile media time.
                _windows.Add((start + WindowSamples, new float[WindowSamples]));
                (start, window) = _windows[^1];
                offset = position + i - start;
                if (offset >= WindowSamples)
                {
                    continue;
                }
            }

            if (offset >= 0)
            {
                window[offset] = samples[i] / 32768f;
            }
        }
    }

    /// <summary>STOI of every complete window (the last, unfinished one is left out).</summary>
    public IEnumerable<double> Scores()
    {
        var clean = new float[WindowSamples];
        foreach (var (start, played) in _windows.Take(_windows.Count - 1))
        {
            for (var i = 0; i < clean.Length; i++)
            {
                clean[i] = spoken.Reference(start + i);
            }

            double score;
            try
            {
                score = SpeechIntelligibility.Stoi(clean, played, VoiceFormat.SampleRate);
            }
            catch (ArgumentException)
            {
                // Too little speech in the window to score (STOI needs 30 frames after silence removal).
                continue;
            }

            yield return score;
        }
    }
}
