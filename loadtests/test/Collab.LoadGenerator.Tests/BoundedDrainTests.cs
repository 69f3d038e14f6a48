using System.Diagnostics;
using Collab.LoadGenerator.Scenarios;

namespace Collab.LoadGenerator.Tests;

/// <summary>The end-of-run drain is bounded by time even when a step ignores its cancellation (no root needed).</summary>
public sealed class BoundedDrainTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_step_that_ignores_its_token_is_abandoned_after_the_limit_and_counted()
    {
        var never = new TaskCompletionSource();
        var finished = 0;
        var started = Stopwatch.StartNew();

        var behind = await BoundedDrain.RunAsync(
        [
            _ => never.Task,
            async token => await Task.Delay(Timeout.InfiniteTimeSpan, token),
            async _ =>
            {
                await Task.Delay(50, Cancel);
                Interlocked.Increment(ref finished);
            },
        ], TimeSpan.FromMilliseconds(300), Cancel);

        Assert.Equal(2, behind);
        Assert.Equal(1, finished);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(300) + BoundedDrain.Grace + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Steps_that_finish_return_as_soon_as_they_do()
    {
        var started = Stopwatch.StartNew();
        var behind = await BoundedDrain.RunAsync([_ => Task.CompletedTask, token => Task.Delay(20, token)], TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(0, behind);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }
}
