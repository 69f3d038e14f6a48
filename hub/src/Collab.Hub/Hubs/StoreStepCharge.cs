using Collab.Conferencing.Limits;

namespace Collab.Hub.Hubs;

/// <summary>
/// The rate-limit charge the hub filter computed for the hub call running on this flow, for a method marked
/// <see cref="ChecksInStoreStepAttribute"/> to pass to its store step. Scoped to one invocation (an async-local the
/// filter sets around the call), so parallel calls never see each other's charge.
/// </summary>
internal static class StoreStepCharge
{
    private static readonly AsyncLocal<RateLimitCharge?> s_current = new();

    /// <summary>The charge of the current hub call, or null when it has none.</summary>
    public static RateLimitCharge? Current => s_current.Value;

    /// <summary>Runs <paramref name="call"/> with <paramref name="charge"/> as the current charge.</summary>
    public static async ValueTask<object?> RunAsync(RateLimitCharge charge, Func<ValueTask<object?>> call)
    {
        s_current.Value = charge;
        try
        {
            return await call();
        }
        finally
        {
            s_current.Value = null;
        }
    }
}
