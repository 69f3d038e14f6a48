using BenchmarkDotNet.Attributes;
using Collab.Codec.Audio;
using Collab.Codec.Intelligibility;
using Collab.Codec.Jitter;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;

namespace Collab.Codec.Benchmarks;

/// <summary>The receive path a listener runs per frame (jitter buffer with decode) and the cost of one STOI score.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private byte[][] _packets = [];
    private readonly short[] _output = new short[VoiceFormat.MaxFrameSamples];
    private float[] _speech = [];

    [GlobalSetup]
    public void Setup()
    {
        var profile = ProfileLadder.Standard with { Dtx = false };
        using var sender = new VoiceSender(profile);
        var buffer = new byte[AudioPacketFormat.MaxPacketBytes];
        _packets = [.. SpeechFrames.For(profile).Select(frame => buffer[..sender.EncodeFrame(frame, buffer)])];
        _speech = WaveFiles.ToFloat(SpeechFrames.For(profile).SelectMany(frame => frame).ToArray());
    }

    /// <summary>Push and pull every packet of the sample once; divide by the packet count for per-frame cost.</summary>
    [Benchmark(OperationsPerInvoke = 167)]
    public long JitterBufferPushPullDecode()
    {
        using var decoder = new VoiceDecoder();
        using var jitter = new JitterBuffer(decoder);
        long samples = 0;
        for (var i = 0; i < 167; i++)
        {
            jitter.Push(_packets[i % _packets.Length], i * 40.0);
            samples += jitter.Pull(_output).Samples;
        }

        return samples;
    }

    [Benchmark]
    public double StoiOfTheWholeSample() => SpeechIntelligibility.Score(_speech, _speech, VoiceFormat.SampleRate).Stoi;
}
