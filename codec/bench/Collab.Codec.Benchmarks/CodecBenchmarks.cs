using BenchmarkDotNet.Attributes;
using Collab.Codec.Opus;
using Collab.Codec.Profiles;

namespace Collab.Codec.Benchmarks;

/// <summary>
/// Encode and decode of one frame of real speech at every rung, native libopus against the managed port.
/// Each operation is one frame; the frames cycle through the sample so the encoder sees speech, not a repeat.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private VoiceEncoder _encoder = null!;
    private VoiceDecoder _decoder = null!;
    private short[][] _frames = [];
    private byte[][] _packets = [];
    private readonly byte[] _encoded = new byte[SpeechFrames.MaxEncoded];
    private readonly short[] _decoded = new short[VoiceFormat.MaxFrameSamples];
    private int _next;

    [ParamsSource(nameof(Rungs))]
    public string Rung { get; set; } = "standard";

    [Params(OpusBackendPreference.Native, OpusBackendPreference.Managed)]
    public OpusBackendPreference Backend { get; set; }

    public static IEnumerable<string> Rungs => SpeechFrames.Rungs;

    [GlobalSetup]
    public void Setup()
    {
        var profile = SpeechFrames.Profile(Rung);
        _encoder = new VoiceEncoder(profile, Backend);
        _decoder = new VoiceDecoder(Backend);
        _frames = SpeechFrames.For(profile);
        using var encoder = new VoiceEncoder(profile, Backend);
        _packets = [.. _frames.Select(frame => _encoded[..encoder.Encode(frame, _encoded)])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }

    [Benchmark]
    public int EncodeFrame()
    {
        var frame = _frames[_next++ % _frames.Length];
        return _encoder.Encode(frame, _encoded);
    }

    [Benchmark]
    public int DecodeFrame()
    {
        var packet = _packets[_next++ % _packets.Length];
        return _decoder.Decode(packet, _decoded);
    }
}
