using Collab.LoadGenerator.Hosting;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// Runs the same fan-out and the same idle load on the bare hub and on one Collab hub node (in-memory state, no
/// Redis), each load on a freshly spawned process and one process at a time, so each has the machine to itself.
/// </summary>
internal sealed class BaselineRun(FanOutSettings? fanOut, IdleSettings? idle, string configuration)
{
    public async Task<BaselineResult> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        FanOutResult? bareFanOut = null, collabFanOut = null;
        IdleResult? bareIdle = null, collabIdle = null;
        if (fanOut is not null)
        {
            bareFanOut = await OnFreshServerAsync(BaselineTarget.Bare, server => new FanOutLoad(fanOut).RunAsync(server, progress, cancellationToken));
            collabFanOut = await OnFreshServerAsync(BaselineTarget.Collab, server => new FanOutLoad(fanOut).RunAsync(server, progress, cancellationToken));
        }

        if (idle is not null)
        {
            bareIdle = await OnFreshServerAsync(BaselineTarget.Bare, server => new IdleLoad(idle).RunAsync(server, progress, cancellationToken));
            collabIdle = await OnFreshServerAsync(BaselineTarget.Collab, server => new IdleLoad(idle).RunAsync(server, progress, cancellationToken));
        }

        return new BaselineResult(bareFanOut, collabFanOut, bareIdle, collabIdle);
    }

    private async Task<T> OnFreshServerAsync<T>(BaselineTarget target, Func<BaselineServer, Task<T>> load)
    {
        await using var process = target == BaselineTarget.Bare
            ? await SpawnedProcess.StartBareHubAsync(RepositoryPaths.BareHubAssembly(configuration))
            : await SpawnedProcess.StartHubAsync(RepositoryPaths.HubAssembly(configuration), redisConnection: null, $"baseline{Environment.ProcessId}");
        return await load(BaselineServer.Spawned(target, process));
    }
}
