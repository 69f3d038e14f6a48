using BenchmarkDotNet.Attributes;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;

namespace Collab.Codec.Benchmarks;

/// <summary>
/// What the hub's relay spends checking one incoming audio batch of real speech: the framing and each packet's fixed
/// header only (what it did before), against every packet checked whole (redundant blocks and primary frame too).
/// </summary>
[MemoryDiagnoser]
public class BatchValidationBenchmarks
{
    private byte[][] _batches = [];

    [Params("standard", "burst-red")]
    public string Rung { get; set; } = "standard";

    [Params(2, 8)]
    public int PacketsPerBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var profile = SpeechFrames.Profile(Rung);
        using var sender = new VoiceSender(profile);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        var packets = SpeechFrames.For(profile).Select(frame => buffer[..sender.EncodeFrame(frame, buffer)]).Where(p => p.Length > 0).ToList();
        _batches = [.. packets.Chunk(PacketsPerBatch).Where(chunk => chunk.Length == PacketsPerBatch).Select(chunk => AudioBatch.Pack(chunk))];
    }

    /// <summary>64 batches per invocation (cycling through the sample); BenchmarkDotNet reports the time per batch.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int HeadersOnly()
    {
        var packets = 0;
        for (var i = 0; i < 64; i++)
        {
            var batch = _batches[i % _batches.Length];
            if (AudioBatch.TryValidate(batch, out var count, out _))
            {
                foreach (var packet in AudioBatch.Packets(batch))
                {
                    if (!AudioPacketFormat.TryReadHeader(packet, out _, out _))
                    {
                        return -1;
                    }
                }

                packets += count;
            }
        }

        return packets;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int EveryPacketWhole()
    {
        var packets = 0;
        for (var i = 0; i < 64; i++)
        {
            if (AudioBatch.TryValidatePackets(_batches[i % _batches.Length], out var count, out _, out _))
            {
                packets += count;
            }
        }

        return packets;
    }
}
