using Concentus;
using Concentus.Enums;

namespace Collab.Codec.Opus;

/// <summary>
/// Creates Concentus codecs for a backend preference. Concentus picks native or managed through one static flag,
/// so creation is serialized; which one it produced is read back from the created type.
/// </summary>
internal static class OpusFactory
{
    private static readonly Lock s_gate = new();

    public static (IOpusEncoder Encoder, OpusBackend Backend) CreateEncoder(OpusBackendPreference preference)
    {
        lock (s_gate)
        {
            OpusCodecFactory.AttemptToUseNativeLibrary = preference != OpusBackendPreference.Managed;
            var encoder = OpusCodecFactory.CreateEncoder(VoiceFormat.SampleRate, VoiceFormat.Channels, OpusApplication.OPUS_APPLICATION_VOIP);
            return (encoder, Check(BackendOf(encoder), preference, encoder));
        }
    }

    public static (IOpusDecoder Decoder, OpusBackend Backend) CreateDecoder(OpusBackendPreference preference)
    {
        lock (s_gate)
        {
            OpusCodecFactory.AttemptToUseNativeLibrary = preference != OpusBackendPreference.Managed;
            var decoder = OpusCodecFactory.CreateDecoder(VoiceFormat.SampleRate, VoiceFormat.Channels);
            return (decoder, Check(BackendOf(decoder), preference, decoder));
        }
    }

    /// <summary>Whether native libopus can be loaded on this machine.</summary>
    public static bool NativeAvailable => s_nativeAvailable.Value;

    private static readonly Lazy<bool> s_nativeAvailable = new(() =>
    {
        var (decoder, backend) = CreateDecoder(OpusBackendPreference.Auto);
        (decoder as IDisposable)?.Dispose();
        return backend == OpusBackend.Native;
    });

    private static OpusBackend BackendOf(object codec) =>
        codec.GetType().Namespace?.EndsWith(".Native", StringComparison.Ordinal) == true ? OpusBackend.Native : OpusBackend.Managed;

    private static OpusBackend Check(OpusBackend backend, OpusBackendPreference preference, object codec)
    {
        if (preference == OpusBackendPreference.Native && backend != OpusBackend.Native)
        {
            (codec as IDisposable)?.Dispose();
            throw new InvalidOperationException("Native libopus was requested but could not be loaded; install libopus (Debian: libopus-dev provides libopus.so).");
        }

        return backend;
    }
}
