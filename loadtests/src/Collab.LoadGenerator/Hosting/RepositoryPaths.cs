namespace Collab.LoadGenerator.Hosting;

/// <summary>Finds the built hubs next to this tool in the repository (the tool runs from its build output).</summary>
internal static class RepositoryPaths
{
    public static string HubAssembly(string configuration) =>
        BuiltAssembly(configuration, Path.Combine("hub", "src", "Collab.Hub"), "Collab.Hub.dll");

    /// <summary>The bare SignalR broadcast hub the baseline command compares the Collab hub with.</summary>
    public static string BareHubAssembly(string configuration) =>
        BuiltAssembly(configuration, Path.Combine("loadtests", "src", "Collab.BareHub"), "Collab.BareHub.dll");

    private static string BuiltAssembly(string configuration, string project, string assembly)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collab.sln")))
            {
                var built = Path.Combine(directory.FullName, project, "bin", configuration, "net10.0", assembly);
                return File.Exists(built)
                    ? built
                    : throw new FileNotFoundException($"Build it first: dotnet build -c {configuration} {project} (looked for {built}).");
            }
        }

        throw new DirectoryNotFoundException("Run the load generator from the Collab repository (no Collab.sln above " + AppContext.BaseDirectory + ").");
    }
}
