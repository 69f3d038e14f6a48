using Collab.Codec.Opus;

namespace Collab.Codec.Tests.Opus;

/// <summary>
/// Both Opus backends for theories. Native needs libopus.so (./test.sh installs libopus-dev): outside CI a machine
/// without it skips the native cases with that reason; in CI they fail, so the native path is always proven there.
/// </summary>
internal static class Backends
{
    public static TheoryData<OpusBackendPreference> Both => [OpusBackendPreference.Managed, OpusBackendPreference.Native];

    public static void Require(OpusBackendPreference backend)
    {
        if (backend != OpusBackendPreference.Native || OpusFactory.NativeAvailable)
        {
            return;
        }

        const string Reason = "native libopus (libopus.so) cannot be loaded; install libopus-dev or run ./test.sh";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Reason);
        }

        Assert.Skip(Reason);
    }
}
