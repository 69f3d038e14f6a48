using Collab.LoadGenerator.Baseline;

namespace Collab.LoadGenerator.Tests;

/// <summary>The baseline's GC watch on a real process (this one: EventPipe attaches to any .NET process, itself included).</summary>
public sealed class GcWatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_watch_reads_collections_pauses_and_allocations_from_the_runtimes_events()
    {
        await using var watch = GcWatch.TryStart(Environment.ProcessId, out var why);
        Assert.True(watch is not null, why);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct); // the session is up before anything is counted

        var kept = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 200; j++)
            {
                kept.Add(new byte[64 * 1024]); // 12.5 MB per round, on the small-object heap's edge: large objects
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            kept.Clear();
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct); // the allocation counter ticks once a second
        var figures = await watch.StopAsync();

        Assert.True(figures.Collections >= 3, $"{figures.Collections} collections seen");
        Assert.InRange(figures.PauseTotalMs, 0.001, 30_000);
        Assert.True(figures.PauseMaxMs <= figures.PauseTotalMs);
        Assert.True(figures.AllocatedBytes >= 30L * 1024 * 1024, $"{figures.AllocatedBytes} B allocated");
    }

    [Fact]
    public async Task A_full_collection_can_be_asked_of_a_process()
    {
        var before = GC.CollectionCount(2);

        var (collected, _, why) = await GcWatch.CollectAsync(Environment.ProcessId, Ct);

        Assert.True(collected, why);
        Assert.True(GC.CollectionCount(2) > before);
    }

    [Fact]
    public async Task A_full_collection_reports_the_live_heap_it_left()
    {
        var (collected, liveHeap, why) = await GcWatch.CollectAsync(Environment.ProcessId, Ct);

        Assert.True(collected, why);
        Assert.NotNull(liveHeap);
        // Whatever this process holds after the collection: more than nothing, within what the collector has committed.
        Assert.InRange(liveHeap.Value, 1L, GC.GetGCMemoryInfo(GCKind.FullBlocking).TotalCommittedBytes + 64L * 1024 * 1024);
    }
}
