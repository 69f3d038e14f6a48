using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Codec.Adaptation;
using Collab.Codec.Packets;
using Collab.Codec.Profiles;

namespace Collab.Codec.Tests;

/// <summary>
/// codec/test/vectors/voice.json: packet bytes, the ladder and adapter decisions on scripted traces, as this module
/// makes them. The web client's port (web/test/codec.test.mjs) checks itself against the same file, so the two cannot
/// drift: a change here fails this test until the file is rewritten (<c>COLLAB_WRITE_VECTORS=1</c>), and then the web
/// test until the port follows.
/// </summary>
public sealed class SharedVectorsTests
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    [Fact]
    public void The_committed_vectors_are_what_this_module_produces()
    {
        var path = VectorsPath();
        var actual = Build().ToJsonString(s_json) + "\n";
        if (Environment.GetEnvironmentVariable("COLLAB_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"{path} is missing; write it with COLLAB_WRITE_VECTORS=1.");
        Assert.Equal(actual, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    private static JsonObject Build() => new()
    {
        ["about"] = "Written by codec/test/Collab.Codec.Tests/SharedVectorsTests.cs (COLLAB_WRITE_VECTORS=1); read by web/test/codec.test.mjs.",
        ["packets"] = new JsonArray([.. Packets()]),
        ["malformed"] = new JsonArray([.. Malformed().Select(bytes => (JsonNode)Convert.ToHexStringLower(bytes))]),
        ["ladder"] = new JsonArray([.. ProfileLadder.All.Select(Profile)]),
        ["defaultProfile"] = ProfileLadder.Default.Name,
        ["traces"] = new JsonArray([.. Traces()]),
    };

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
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var writer = new AudioPacketWriter(buffer, header);
        foreach (var (distance, duration, frame) in blocks)
        {
            writer.AddRedundant(frame, duration, distance);
        }

        var length = writer.Complete([0xF8, 0xFF, 0xFE]);
        Assert.True(AudioPacketFormat.TryRead(buffer.AsSpan(0, length), out var reader, out var error), error);
        var read = new JsonArray();
        for (var block = reader.RedundantCount - 1; block >= 0; block--)
        {
            Assert.True(reader.TryGetBlock(block, out var frame, out var timestamp, out var duration, out var distance));
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
            ["bytes"] = Convert.ToHexStringLower(buffer.AsSpan(0, length)),
        };
    }

    private static IEnumerable<byte[]> Malformed()
    {
        yield return [0x31, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1];                           // version 3
        yield return [0x11, 0, 0, 0, 0, 0, 0, 0, 25, 0, 1];                           // 25 ms
        yield return [0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 9, 1];                 // block past the end
        yield return [0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 1, 1];                 // no primary
        yield return [0x1D, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1];                           // three blocks
        yield return [0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x06, 0, 1, 1, 2];            // version 2, distance 0
        yield return [0x29, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x16, 0, 1, 1, 0x36, 0, 1, 2, 3]; // version 2, distances 1 then 3
        yield return [0x25, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0x3D, 0, 1, 1, 2];            // version 2, 130 ms block
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
        var random = new Random(7);
        yield return Trace("a random trace", null, [.. Enumerable.Range(0, 60).Select(_ => clean with
        {
            LossFraction = Math.Round(random.NextDouble() * 0.3, 3),
            MeanLossBurstMilliseconds = random.Next(0, 150),
            RoundTripMilliseconds = random.Next(50, 1_200),
            SendBacklogMilliseconds = random.Next(0, 4) == 0 ? 400 : 0,
        })]);
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
                ["report"] = new JsonObject
                {
                    ["lossFraction"] = report.LossFraction,
                    ["meanLossBurstMs"] = report.MeanLossBurstMilliseconds,
                    ["lateFraction"] = report.LateFraction,
                    ["roundTripMs"] = report.RoundTripMilliseconds,
                    ["sendBacklogMs"] = report.SendBacklogMilliseconds,
                },
                ["profile"] = decision.Profile.Name,
                ["expectedLossPercent"] = decision.ExpectedLossPercent,
            });
        }

        return new JsonObject { ["name"] = name, ["initial"] = (initial ?? ProfileLadder.Default).Name, ["steps"] = steps };
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

    private static string VectorsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                return Path.Combine(dir.FullName, "codec", "test", "vectors", "voice.json");
            }
        }

        throw new InvalidOperationException("The repository root (Collab.sln) is not above the test's directory.");
    }
}
