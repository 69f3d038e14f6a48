using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Codec.Adaptation;
using Collab.Codec.Packets;
using Collab.Codec.Profiles;

namespace Collab.Codec.Vectors;

/// <summary>
/// The formats the .NET and TypeScript voice code share, as this module makes them, one file each in
/// <c>codec/test/vectors</c>: packet and batch bytes (valid and refused), the ladder, link adapter traces (reports in,
/// chosen rung out, second by second) and a reception report aggregated across listeners into the speaker's
/// decision. Written by <c>collab-codec vectors</c>; codec/test's SharedVectorsTests fails while the committed files
/// differ from what this produces, and web/test/codec.test.mjs checks the client's port against them.
/// </summary>
public static class SharedVectors
{
    /// <summary>The vectors folder, from the repository root.</summary>
    public const string Folder = "codec/test/vectors";

    private const string About = "Written by `dotnet run --project codec/src/Collab.Codec.Cli -- vectors` (Collab.Codec.Vectors.SharedVectors); "
        + "checked by codec/test/Collab.Codec.Tests/SharedVectorsTests.cs; read by web/test/codec.test.mjs. Do not edit by hand.";

    /// <summary>
    /// Files in the folder that other tools write and this module neither writes nor deletes: the voice datagram
    /// framing's known answers, sealed by Node's AES-128-GCM (<c>node codec/test/vectors/voice-datagram.mjs</c>).
    /// </summary>
    public static IReadOnlyList<string> OtherWriters { get; } = ["voice-datagram.json", "voice-datagram.mjs"];

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>File name → contents (indented JSON, LF line ends, a final newline).</summary>
    public static IReadOnlyDictionary<string, string> Files() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["packets.json"] = Text(new JsonObject
        {
            ["about"] = About,
            ["packets"] = new JsonArray([.. Packets()]),
            ["malformed"] = new JsonArray([.. Malformed().Select(Refused)]),
            ["batches"] = new JsonArray([.. Batches()]),
            ["malformedBatches"] = new JsonArray([.. MalformedBatches().Select(RefusedBatch)]),
        }),
        ["ladder.json"] = Text(new JsonObject
        {
            ["about"] = About,
            ["ladder"] = new JsonArray([.. ProfileLadder.All.Select(Profile)]),
            ["defaultProfile"] = ProfileLadder.Default.Name,
        }),
        ["adapter-traces.json"] = Text(new JsonObject
        {
            ["about"] = About,
            ["traces"] = new JsonArray([.. Traces()]),
            ["capacity"] = Capacity(),
        }),
        ["reception-report.json"] = Text(Reception()),
    };

    /// <summary>Writes every file into <paramref name="directory"/> and deletes vector files this module no longer makes.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = Files();
        foreach (var stale in Directory.GetFiles(directory, "*.json").Where(path => !files.ContainsKey(Path.GetFileName(path)) && !OtherWriters.Contains(Path.GetFileName(path))))
        {
            File.Delete(stale);
        }

        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        return [.. files.Keys];
    }

    private static string Text(JsonObject root) => root.ToJsonString(s_json).ReplaceLineEndings("\n") + "\n";

    private static IEnumerable<JsonNode> Packets()
    {
        var header = new AudioPacketHeader(65_535, 4_294_967_000, 60, 23, true, 7);
        yield return Packet("plain", header, []);
        yield return Packet("contiguous copies (version 1)", header with { DurationMilliseconds = 40 }, [(2, 20, [7, 7]), (1, 40, [8, 8, 8])]);
        yield return Packet("one copy (version 1)", header with { Sequence = 3, Timestamp = 2_880 }, [(1, 60, [5])]);
        yield return Packet("copies of n-3 and n-1 (version 2)", header with { Timestamp = 100 }, [(3, 60, [1, 2]), (1, 60, [3, 4, 5])]);
        yield return Packet("copy of n-2 alone (version 2)", header with { VoiceActivity = false, Level = 127 }, [(2, 60, [9, 9])]);
    }

    private static JsonNode Packet(string name, AudioPacketHeader header, (int Distance, int Duration, byte[] Frame)[] blocks)
    {
        var bytes = PacketBytes(header, blocks);
        if (!AudioPacketFormat.TryRead(bytes, out var reader, out var error))
        {
            throw new InvalidOperationException($"Vector packet '{name}' does not read back: {error}");
        }

        var read = new JsonArray();
        for (var block = reader.RedundantCount - 1; block >= 0; block--)
        {
            if (!reader.TryGetBlock(block, out var frame, out var timestamp, out var duration, out var distance))
            {
                throw new InvalidOperationException($"Vector packet '{name}': block {block} does not read back.");
            }

            read.Add(new JsonObject { ["distance"] = distance, ["durationMs"] = duration, ["timestamp"] = timestamp, ["frame"] = Bytes(frame) });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["version"] = reader.Version,
            ["voiceActivity"] = header.VoiceActivity,
            ["profileId"] = header.ProfileId,
            ["sequence"] = header.Sequence,
            ["timestamp"] = header.Timestamp,
            ["durationMs"] = header.DurationMilliseconds,
            ["level"] = header.Level,
            ["redundant"] = read,
            ["frame"] = Bytes(reader.Primary),
            ["bytes"] = Convert.ToHexStringLower(bytes),
        };
    }

    private static byte[] PacketBytes(AudioPacketHeader header, (int Distance, int Duration, byte[] Frame)[] blocks)
    {
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var writer = new AudioPacketWriter(buffer, header);
        foreach (var (distance, duration, frame) in blocks)
        {
            writer.AddRedundant(frame, duration, distance);
        }

        return buffer[..writer.Complete([0xF8, 0xFF, 0xFE])];
    }

    private static IEnumerable<(string Why, byte[] Bytes)> Malformed()
    {
        yield return ("version 3", [0x31, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1]);
        yield return ("25 ms", [0x11, 0, 0, 0, 0, 0, 0, 0, 25, 0, 1]);
        yield return ("block past the end", [0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 9, 1]);
        yield return ("no primary", [0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 1, 1]);
        yield return ("three blocks", [0x1D, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1]);
        yield return ("version 2, distance 0", [0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x06, 0, 1, 1, 2]);
        yield return ("version 2, distances 1 then 3", [0x29, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x16, 0, 1, 1, 0x36, 0, 1, 2, 3]);
        yield return ("version 2, 130 ms block", [0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x3D, 0, 1, 1, 2]);
        yield return ("header only", [0x11, 0, 0, 0, 0, 0, 0, 0, 20, 0]);
        yield return ("level 200", [0x11, 0, 0, 0, 0, 0, 0, 0, 20, 200, 1]);
    }

    private static JsonNode Refused((string Why, byte[] Bytes) packet)
    {
        if (AudioPacketFormat.TryRead(packet.Bytes, out _, out var error))
        {
            throw new InvalidOperationException($"Malformed vector '{packet.Why}' is accepted.");
        }

        return new JsonObject { ["why"] = packet.Why, ["bytes"] = Convert.ToHexStringLower(packet.Bytes), ["error"] = error };
    }

    private static IEnumerable<JsonNode> Batches()
    {
        var header = new AudioPacketHeader(41, 19_200, 20, 40, true, 6);
        var first = PacketBytes(header, []);
        var second = PacketBytes(header with { Sequence = 42, Timestamp = 20_160 }, [(1, 20, [5, 5])]);
        yield return Batch("one packet", [first]);
        yield return Batch("two packets, the second with a copy", [first, second]);
    }

    private static JsonNode Batch(string name, byte[][] packets)
    {
        var bytes = AudioBatch.Pack(packets);
        if (!AudioBatch.TryValidatePackets(bytes, out var count, out _, out var error) || count != packets.Length)
        {
            throw new InvalidOperationException($"Vector batch '{name}' does not validate: {error}");
        }

        return new JsonObject
        {
            ["name"] = name,
            ["packets"] = new JsonArray([.. packets.Select(packet => (JsonNode)Convert.ToHexStringLower(packet))]),
            ["bytes"] = Convert.ToHexStringLower(bytes),
        };
    }

    private static IEnumerable<(string Why, byte[] Bytes)> MalformedBatches()
    {
        yield return ("no packets", [0]);
        yield return ("nine packets", [9, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1]);
        yield return ("length past the end", [1, 0, 5, 1]);
        yield return ("bytes after the last packet", [1, 0, 1, 1, 9]);
    }

    private static JsonNode RefusedBatch((string Why, byte[] Bytes) batch)
    {
        if (AudioBatch.TryValidate(batch.Bytes, out _, out var error))
        {
            throw new InvalidOperationException($"Malformed batch vector '{batch.Why}' is accepted.");
        }

        return new JsonObject { ["why"] = batch.Why, ["bytes"] = Convert.ToHexStringLower(batch.Bytes), ["error"] = error };
    }

    private static JsonNode Profile(VoiceProfile profile) => new JsonObject
    {
        ["id"] = profile.Id,
        ["name"] = profile.Name,
        ["bitrate"] = profile.BitrateBitsPerSecond,
        ["frameMs"] = profile.FrameMilliseconds,
        ["band"] = profile.MaxBandwidth switch
        {
            AudioBandwidth.Narrowband => "narrow",
            AudioBandwidth.Wideband => "wide",
            AudioBandwidth.SuperWideband => "super-wide",
            var other => other.ToString(),
        },
        ["complexity"] = profile.Complexity,
        ["inbandFec"] = profile.InbandFec,
        ["expectedLossPercent"] = profile.ExpectedLossPercent,
        ["redundantFrames"] = profile.RedundantFrames,
        ["redundancy"] = new JsonArray([.. profile.Redundancy.Select(copy => (JsonNode)new JsonObject { ["distance"] = copy.Distance, ["bitrate"] = copy.BitrateBitsPerSecond })]),
        ["dtx"] = profile.Dtx,
        ["framesPerMessage"] = profile.FramesPerMessage,
        ["nominalWireKbps"] = Math.Round(profile.NominalWireKilobitsPerSecond, 6),
    };

    private static IEnumerable<JsonNode> Traces()
    {
        var clean = new LinkReport(0, 0, 0, 5, 80, 0);
        yield return Trace("a clean link climbs one rung per hold", null, Enumerable.Repeat(clean, 20));
        yield return Trace("a stall drops at once to protection", ProfileLadder.Clear, [clean, clean, clean with { LateFraction = 0.4, SendBacklogMilliseconds = 900 }, clean, clean]);
        yield return Trace("20 % bursty loss", null, Enumerable.Repeat(clean with { LossFraction = 0.2, MeanLossBurstMilliseconds = 120 }, 3));
        yield return Trace("20 % random loss", null, Enumerable.Repeat(clean with { LossFraction = 0.2, MeanLossBurstMilliseconds = 60 }, 3));
        yield return Trace("12 % loss in short bursts", null, [clean with { LossFraction = 0.12, MeanLossBurstMilliseconds = 65 }]);
        yield return Trace("light loss", null, [clean with { LossFraction = 0.04, MeanLossBurstMilliseconds = 42 }]);
        yield return Trace("heavy loss, then a clean link", null, Enumerable.Repeat(clean with { LossFraction = 0.25, MeanLossBurstMilliseconds = 90 }, 4).Concat(Enumerable.Repeat(clean, 40)));
        yield return Trace("35 % loss with a send backlog", null, [clean with { LossFraction = 0.4, MeanLossBurstMilliseconds = 200, SendBacklogMilliseconds = 900 }]);
        var stall = clean with { SendBacklogMilliseconds = 300 };
        yield return Trace("retransmission stalls (one report of uplink delay each) are not congestion", null,
            [.. Enumerable.Range(0, 20).Select(second => second % 5 == 3 ? stall : clean)]);
        var queued = clean with { SendBacklogMilliseconds = 400 };
        yield return Trace("a persistent uplink delay steps down on its second report, once", ProfileLadder.Clear,
            [clean, clean, queued, queued, queued, queued, queued, clean, clean]);
        yield return Trace("a measured 50 kbit/s uplink keeps the adapter below it until the capacity memory ends", ProfileLadder.WideFec,
            [queued, queued with { AvailableKilobitsPerSecond = 50 }, .. Enumerable.Repeat(clean, 130)]);
        yield return Trace("long round trips", null, [clean with { RoundTripMilliseconds = 1_300 }, clean with { RoundTripMilliseconds = 600 }]);
        var random = new Random(7);
        yield return Trace("a random trace", null, [.. Enumerable.Range(0, 60).Select(_ => clean with
        {
            LossFraction = Math.Round(random.NextDouble() * 0.3, 3),
            MeanLossBurstMilliseconds = random.Next(0, 150),
            RoundTripMilliseconds = random.Next(50, 1_200),
            SendBacklogMilliseconds = random.Next(0, 4) == 0 ? 400 : 0,
        })]);
    }

    /// <summary>
    /// <see cref="UplinkCapacityEstimator"/> on a speaker sending about 60 kbit/s of wire into a 50 kbit/s uplink, once a
    /// second: a free link, a queue that grows, one that stays (sends block), drains, and two retransmission stalls.
    /// </summary>
    private static JsonArray Capacity()
    {
        (double Sent, double Delay)[] seconds = [(60, 0), (60, 40), (60, 150), (60, 350), (60, 550), (50, 560), (50, 555), (45, 20), (45, 260), (45, 120), (45, 250), (45, 30)];
        var estimator = new UplinkCapacityEstimator();
        var steps = new JsonArray();
        var total = 0.0;
        for (var second = 0; second < seconds.Length; second++)
        {
            total += seconds[second].Sent;
            var capacity = estimator.Update(total, 1_000 * (second + 1), seconds[second].Delay);
            steps.Add(new JsonObject
            {
                ["sentWireKilobitsTotal"] = total,
                ["nowMs"] = 1_000 * (second + 1),
                ["uplinkDelayMs"] = seconds[second].Delay,
                ["capacityKbps"] = capacity is { } value ? Math.Round(value, 6) : null,
            });
        }

        return steps;
    }

    private static JsonNode Trace(string name, VoiceProfile? initial, IEnumerable<LinkReport> reports)
    {
        var adapter = new LinkAdapter(initial: initial);
        var steps = new JsonArray();
        var second = 0;
        foreach (var report in reports)
        {
            var decision = adapter.Update(report, TimeSpan.FromSeconds(second++));
            steps.Add(new JsonObject
            {
                ["report"] = Report(report),
                ["profile"] = decision.Profile.Name,
                ["expectedLossPercent"] = decision.ExpectedLossPercent,
            });
        }

        return new JsonObject { ["name"] = name, ["initial"] = (initial ?? ProfileLadder.Default).Name, ["steps"] = steps };
    }

    private static JsonObject Report(LinkReport report)
    {
        var json = new JsonObject
        {
            ["lossFraction"] = report.LossFraction,
            ["meanLossBurstMs"] = report.MeanLossBurstMilliseconds,
            ["lateFraction"] = report.LateFraction,
            ["roundTripMs"] = report.RoundTripMilliseconds,
            ["sendBacklogMs"] = report.SendBacklogMilliseconds,
        };
        if (report.AvailableKilobitsPerSecond is { } available)
        {
            json["availableKbps"] = available;
        }

        return json;
    }

    /// <summary>
    /// Ten listeners' reports of one speaker (the ReportReception payload, hub/PROTOCOL.md), what the hub makes of
    /// them at its default 90th percentile (the LinkFeedback figures), and the rung the speaker's adapter then picks.
    /// </summary>
    private static JsonObject Reception()
    {
        const double Percentile = 0.9;
        const double RoundTripMilliseconds = 420;
        const double SendBacklogMilliseconds = 0;
        var aggregator = new ReceptionAggregator(TimeSpan.FromSeconds(10));
        var listeners = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            // Most listeners are fine; two on poor phones lose more, in longer bursts.
            var report = i switch
            {
                8 => new ReceptionReport(0.14, 120, 0.02, 45, 0.06, 25),
                9 => new ReceptionReport(0.31, 240, 0.05, 80, 0.2, 24),
                _ => new ReceptionReport(0.01 * i, 20 + (5 * i), 0.001 * i, 10 + i, 0.005 * i, 25),
            };
            var listenerId = $"listener-{i}";
            aggregator.Record(listenerId, report, TimeSpan.Zero);
            listeners.Add(new JsonObject
            {
                ["listenerId"] = listenerId,
                ["report"] = new JsonObject
                {
                    ["speakerId"] = "speaker-1",
                    ["lossFraction"] = report.LossFraction,
                    ["meanLossBurstMs"] = report.MeanLossBurstMilliseconds,
                    ["lateFraction"] = report.LateFraction,
                    ["jitterMs"] = report.JitterMilliseconds,
                    ["concealedFraction"] = report.ConcealedFraction,
                    ["packets"] = report.PacketCount,
                },
            });
        }

        var aggregated = aggregator.Snapshot(Percentile, TimeSpan.FromSeconds(1));
        var link = aggregated.ToLinkReport(RoundTripMilliseconds, SendBacklogMilliseconds);
        var decision = new LinkAdapter().Update(link, TimeSpan.Zero);
        return new JsonObject
        {
            ["about"] = About,
            ["percentile"] = Percentile,
            ["listeners"] = listeners,
            ["aggregated"] = new JsonObject
            {
                ["listeners"] = aggregated.Listeners,
                ["lossFraction"] = aggregated.LossFraction,
                ["meanLossBurstMs"] = aggregated.MeanLossBurstMilliseconds,
                ["lateFraction"] = aggregated.LateFraction,
                ["jitterMs"] = aggregated.JitterMilliseconds,
                ["concealedFraction"] = aggregated.ConcealedFraction,
                ["worstLossFraction"] = aggregated.WorstLossFraction,
                ["packets"] = aggregated.PacketCount,
            },
            ["linkReport"] = Report(link),
            ["initial"] = ProfileLadder.Default.Name,
            ["profile"] = decision.Profile.Name,
            ["expectedLossPercent"] = decision.ExpectedLossPercent,
        };
    }

    private static JsonArray Bytes(ReadOnlySpan<byte> bytes)
    {
        var array = new JsonArray();
        foreach (var b in bytes)
        {
            array.Add(b);
        }

        return array;
    }
}
