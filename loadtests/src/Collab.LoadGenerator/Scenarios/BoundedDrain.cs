namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// The end-of-run drain, bounded by time whatever its steps do: each step gets a token that fires at the limit, and
/// a step that ignores it (a call stuck on a link that no longer carries anything, as a kernel-mode namespace link can
/// be) is abandoned a short grace after the limit instead of holding the run open.
/// </summary>
internal static class BoundedDrain
{
    /// <summary>How long past the limit a step may take to notice its cancelled token before it is abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>Runs the steps together within <paramref name="limit"/>; returns how many did not finish in time.</summary>
    public static async Task<int> RunAsync(IReadOnlyCollection<Func<CancellationToken, Task>> steps, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        var running = steps.Select(step => Task.Run(() => step(bound.Token), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(running).WaitAsync(limit + Grace, cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Counted below: a step cancelled at the limit or abandoned after the grace did not finish.
        }

        return running.Count(task => !task.IsCompletedSuccessfully);
    }
}
