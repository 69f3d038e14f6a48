using Collab.Codec.Adaptation;
using Collab.Codec.Jitter;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Codec.Simulation;

/// <summary>
/// Runs speech through the whole voice path on one simulated clock: encode with a profile (fixed, or chosen by the
/// link adapter from periodic receiver reports), batch frames into messages, lose messages by a loss model, deliver
/// the rest after a delay into the jitter buffer, and play out with recovery and concealment. Deterministic for a
/// given input, options and loss seed.
/// </summary>
public static class VoiceLinkSimulator
{
    public static SimulationResult Run(ReadOnlySpan<short> input, SimulationOptions options)
    {
        var adapter = options.FixedProfile is null ? new LinkAdapter(options.Adapter) : null;
        var initial = options.FixedProfile ?? adapter!.Current;
        using var sender = new VoiceSender(initial, options.Backend);
        using var decoder = new VoiceDecoder(options.Backend);
        using var jitter = new JitterBuffer(decoder, options.JitterBuffer);

        var inputMilliseconds = input.Length / (double)VoiceFormat.SamplesPerMillisecond;
        var received = new short[input.Length];
        var frame = new short[VoiceFormat.MaxFrameSamples];
        var output = new short[VoiceFormat.MaxFrameSamples];
        var packet = new byte[AudioPacketFormat.MaxPacketBytes];
        var inFlight = new Queue<(double Arrival, byte[] Packet)>();
        var batch = new List<byte[]>();
        var changes = new List<(double, string)>();
        var counts = new SendCounts();
        var position = 0;
        double captureClock = 0, playClock = 0, nextReport = options.ReportInterval.TotalMilliseconds;
        var lastReport = jitter.Statistics;

        var maxSteps = (int)(inputMilliseconds / 10) * 4 + 1_000;
        for (var step = 0; step < maxSteps; step++)
        {
            // The speaker captures in real time: every frame whose capture has ended by now is encoded and sent.
            while (position < input.Length && captureClock <= playClock)
            {
                var profile = sender.Profile;
                var samples = profile.SamplesPerFrame;
                frame.AsSpan(0, samples).Clear();
                input.Slice(position, Math.Min(samples, input.Length - position)).CopyTo(frame);
                position += samples;
                captureClock += profile.FrameMilliseconds;
                var length = sender.EncodeFrame(frame.AsSpan(0, samples), packet);
                if (length > 0)
                {
                    batch.Add(packet[..length]);
                    counts.OpusBytes += length - AudioPacketFormat.HeaderBytes - (profile.RedundantFrames > 0 ? RedundancyHeaderBytes(packet.AsSpan(0, length)) : 0);
                    counts.PayloadBytes += length;
                }

                if (batch.Count >= profile.FramesPerMessage || (batch.Count > 0 && position >= input.Length))
                {
                    counts.Messages++;
                    if (options.Loss.IsLost(captureClock))
                    {
                        counts.MessagesLost++;
                    }
                    else
                    {
                        batch.ForEach(p => inFlight.Enqueue((captureClock + options.OneWayDelayMilliseconds, p)));
                    }

                    batch.Clear();
                }
            }

            while (inFlight.Count > 0 && inFlight.Peek().Arrival <= playClock)
            {
                jitter.Push(inFlight.Dequeue().Packet, playClock);
            }

            if (adapter is not null && playClock >= nextReport)
            {
                var now = jitter.Statistics;
                var report = AggregatedReception.Of(now.ReportSince(lastReport)).ToLinkReport(2 * options.OneWayDelayMilliseconds, sendBacklogMilliseconds: 0);
                var decision = adapter.Update(report, TimeSpan.FromMilliseconds(playClock));
                if (decision.Changed)
                {
                    changes.Add((captureClock, decision.Profile.Name));
                }

                sender.Apply(decision.Profile, decision.ExpectedLossPercent);
                lastReport = now;
                nextReport += options.ReportInterval.TotalMilliseconds;
            }

            var played = jitter.Pull(output);
            if (played.Timestamp >= 0)
            {
                PlaceAligned(output.AsSpan(0, played.Samples), played.Timestamp - sender.LookaheadSamples, received);
            }

            playClock += played.Samples / (double)VoiceFormat.SamplesPerMillisecond;
            if (position >= input.Length && inFlight.Count == 0 && jitter.BufferedMilliseconds == 0 && played.Kind != PlayoutKind.Buffering)
            {
                break;
            }
        }

        var seconds = inputMilliseconds / 1000;
        return new SimulationResult
        {
            Profile = options.FixedProfile?.Name ?? "auto",
            OpusKilobitsPerSecond = counts.OpusBytes * 8 / 1000.0 / seconds,
            PayloadKilobitsPerSecond = counts.PayloadBytes * 8 / 1000.0 / seconds,
            WireKilobitsPerSecond = (counts.PayloadBytes + (counts.Messages * WireOverhead.BytesPerMessage)) * 8 / 1000.0 / seconds,
            MessagesSent = counts.Messages,
            MessagesLost = counts.MessagesLost,
            Receiver = jitter.Statistics,
            ProfileChanges = changes,
            Received = received,
        };
    }

    /// <summary>Copies played samples to their media time in the aligned output, clipping at both ends.</summary>
    private static void PlaceAligned(ReadOnlySpan<short> samples, long mediaPosition, Span<short> aligned)
    {
        var skip = (int)Math.Max(0, -mediaPosition);
        var start = (int)Math.Max(0, mediaPosition);
        if (skip >= samples.Length || start >= aligned.Length)
        {
            return;
        }

        var count = Math.Min(samples.Length - skip, aligned.Length - start);
        samples.Slice(skip, count).CopyTo(aligned[start..]);
    }

    private static int RedundancyHeaderBytes(ReadOnlySpan<byte> packet) =>
        AudioPacketFormat.TryRead(packet, out var reader, out _) ? reader.RedundantCount * AudioPacketFormat.RedundancyBlockHeaderBytes : 0;

    private sealed class SendCounts
    {
        public long OpusBytes;
        public long PayloadBytes;
        public long Messages;
        public long MessagesLost;
    }
}
