using Collab.Codec;
using Collab.Codec.Jitter;
using Collab.Codec.Opus;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// A sampled listener's full receive path: one jitter buffer and decoder per speaker, played out on a real-time clock,
/// and a reception report per speaker every second (what the hub aggregates into each speaker's link feedback).
/// Only a sample of listeners does this (decoding costs CPU); the rest count packets by sequence number.
/// </summary>
internal sealed class ListenerPlayout(RunStatistics stats, Func<string> path) : IDisposable
{
    private readonly Dictionary<string, SpeakerStream> _streams = new(StringComparer.Ordinal);
    private readonly short[] _output = new short[VoiceFormat.MaxFrameSamples];

    public void Push(string speakerId, ReadOnlySpan<byte> packet)
    {
        lock (_streams)
        {
            if (!_streams.TryGetValue(speakerId, out var stream))
            {
                stream = new SpeakerStream(stats.NowMilliseconds, stats.Speakers.GetValueOrDefault(speakerId));
                _streams[speakerId] = stream;
            }

            stream.Buffer.Push(packet, stats.NowMilliseconds);
        }
    }

    /// <summary>Plays out every stream up to now, then reports each speaker's last interval; runs until stopped.</summary>
    public async Task RunAsync(Func<HubConnection> connection, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var nextReport = stats.NowMilliseconds + 1_000;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var reports = new List<ReceptionReportRequest>();
                lock (_streams)
                {
                    var now = stats.NowMilliseconds;
                    foreach (var stream in _streams.Values)
                    {
                        for (var frames = 0; stream.PlayedUntil < now && frames < 50; frames++)
                        {
                            var frame = stream.Buffer.Pull(_output);
                            Observe(stream, frame);
                            stream.PlayedUntil += Math.Max(10, frame.Samples / (double)VoiceFormat.SamplesPerMillisecond);
                        }
                    }

                    if (now >= nextReport)
                    {
                        nextReport = now + 1_000;
                        foreach (var (speakerId, stream) in _streams)
                        {
                            var current = stream.Buffer.Statistics;
                            var report = current.ReportSince(stream.LastReport);
                            stream.LastReport = current;
                            reports.Add(new ReceptionReportRequest(speakerId, report.LossFraction, report.MeanLossBurstMilliseconds, report.LateFraction, report.JitterMilliseconds, report.ConcealedFraction, report.PacketCount));
                        }
                    }
                }

                foreach (var report in reports)
                {
                    if (connection().State == HubConnectionState.Connected)
                    {
                        await connection().SendReportReceptionAsync(report, stop);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (InvalidOperationException)
        {
            // The link dropped between the check and the send; the next run of the loop is gone with it.
        }
    }

    /// <summary>Adds every stream's frame counts and STOI scores to the run's statistics.</summary>
    public void Record()
    {
        lock (_streams)
        {
            foreach (var stream in _streams.Values)
            {
                var final = stream.Buffer.Statistics;
                stats.AudioPlayed(final.FramesDecoded, final.FramesRecoveredFec + final.FramesRecoveredRedundancy, final.FramesConcealed, final.Late, final.FramesStalled);
                var onPath = stats.Paths.For(path());
                onPath.Played(final.FramesDecoded, final.FramesRecoveredFec + final.FramesRecoveredRedundancy, final.FramesConcealed, final.FramesStalled);
                foreach (var score in stream.Played?.Scores() ?? [])
                {
                    stats.IntelligibilityScores.Add(score);
                    onPath.Intelligibility.Add(score);
                }
            }
        }
    }

    /// <summary>One pulled frame: the per-second concealment figures, mouth-to-ear delay of real speech, and the played audio.</summary>
    private void Observe(SpeakerStream stream, PlayoutFrame frame)
    {
        if (frame.Kind is PlayoutKind.Decoded or PlayoutKind.RecoveredFec or PlayoutKind.RecoveredRedundancy or PlayoutKind.Concealed)
        {
            stats.FramesPlayedPerSecond.Add(stream.PlayedUntil, 1);
        }

        if (frame.Kind == PlayoutKind.Concealed)
        {
            stats.FramesConcealedPerSecond.Add(stream.PlayedUntil, 1);
        }

        // A stall is known once media arrives again: its frames were not played on time, so they count as concealed.
        var stalled = stream.Buffer.Statistics.FramesStalled;
        if (stalled > stream.FramesStalled)
        {
            stats.FramesPlayedPerSecond.Add(stream.PlayedUntil, stalled - stream.FramesStalled);
            stats.FramesConcealedPerSecond.Add(stream.PlayedUntil, stalled - stream.FramesStalled);
            stream.FramesStalled = stalled;
        }

        if (frame.Timestamp < 0 || stream.Spoken is not { } spoken || stream.Played is not { } played)
        {
            return;
        }

        if ((frame.Kind is PlayoutKind.Decoded or PlayoutKind.RecoveredFec or PlayoutKind.RecoveredRedundancy) && spoken.SpokenAt(frame.Timestamp) is > 0 and var spokenAt)
        {
            stats.MouthToEar.Add(stream.PlayedUntil - spokenAt);
            stats.Paths.For(path()).MouthToEar.Add(stream.PlayedUntil - spokenAt);
        }

        played.Played(_output.AsSpan(0, frame.Samples), frame.Timestamp);
    }

    public void Dispose()
    {
        lock (_streams)
        {
            foreach (var stream in _streams.Values)
            {
                stream.Dispose();
            }

            _streams.Clear();
        }
    }

    private sealed class SpeakerStream : IDisposable
    {
        private readonly VoiceDecoder _decoder = new();

        public SpeakerStream(double now, SpokenAudio? spoken)
        {
            Buffer = new JitterBuffer(_decoder);
            PlayedUntil = now;
            LastReport = Buffer.Statistics;
            Spoken = spoken;
            Played = spoken is null ? null : new PlayedSpeech(spoken);
        }

        /// <summary>The speaker's timeline and speech (null for a speaker this run did not start).</summary>
        public SpokenAudio? Spoken { get; }

        public PlayedSpeech? Played { get; }

        public JitterBuffer Buffer { get; }

        public double PlayedUntil { get; set; }

        public JitterBufferStatistics LastReport { get; set; }

        /// <summary>Stalled frames already added to the per-second figures.</summary>
        public long FramesStalled { get; set; }

        public void Dispose()
        {
            Buffer.Dispose();
            _decoder.Dispose();
        }
    }
}
