namespace Collab.LoadGenerator.Hosting;

/// <summary>A redis-server (for more than one node) and hub processes on loopback, all stopped by PID on dispose.</summary>
internal sealed class SpawnedDeployment : IAsyncDisposable
{
    private readonly List<SpawnedProcess> _processes = [];

    public IReadOnlyList<Uri> Hubs { get; private set; } = [];

    /// <summary>The redis-server, when there is one (more than one node).</summary>
    public SpawnedProcess? Redis => _processes.Count > Hubs.Count ? _processes[0] : null;

    public IReadOnlyList<SpawnedProcess> HubProcesses => [.. _processes.Skip(_processes.Count - Hubs.Count)];

    /// <summary>Every spawned process with a name for reports: "redis-server", "hub 1", "hub 2", …</summary>
    public IReadOnlyList<(string Name, SpawnedProcess Process)> Named =>
        [.. _processes.Select((process, i) => (i < _processes.Count - Hubs.Count ? "redis-server" : $"hub {i - (_processes.Count - Hubs.Count) + 1}", process))];

    /// <summary>Starts the deployment; <paramref name="hubAssembly"/> runs another build of the hub (e.g. an older one, to compare).</summary>
    public static async Task<SpawnedDeployment> StartAsync(int nodes, string configuration, Action<string> progress, string? hubAssembly = null)
    {
        var deployment = new SpawnedDeployment();
        try
        {
            hubAssembly ??= RepositoryPaths.HubAssembly(configuration);
            string? redis = null;
            if (nodes > 1)
            {
                var server = await SpawnedProcess.StartRedisAsync();
                deployment._processes.Add(server);
                redis = $"127.0.0.1:{server.Port}";
            }

            var hubs = new List<Uri>();
            for (var i = 0; i < nodes; i++)
            {
                var hub = await SpawnedProcess.StartHubAsync(hubAssembly, redis, $"load{Environment.ProcessId}");
                deployment._processes.Add(hub);
                hubs.Add(new Uri($"http://127.0.0.1:{hub.Port}"));
            }

            deployment.Hubs = hubs;
            progress($"spawned {nodes} hub node(s){(redis is null ? string.Empty : $" on redis-server {redis}")}");
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the last hub node by PID (never the first: the run's moderator and HTTP calls use it).</summary>
    public async Task KillHubAsync()
    {
        if (Hubs.Count < 2)
        {
            throw new InvalidOperationException("Killing a node needs at least two.");
        }

        await _processes[^1].DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }
    }
}
