namespace Collab.LoadGenerator.Hosting;

/// <summary>Finds the built hub next to this tool in the repository (the tool runs from its build output).</summary>
internal static class RepositoryPaths
{
    public static string HubAssembly(string configuration)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collab.sln")))
            {
                var hub = Path.Combine(directory.FullName, "hub", "src", "Collab.Hub", "bin", configuration, "net10.0", "Collab.Hub.dll");
                return File.Exists(hub)
                    ? hub
                    : throw new FileNotFoundException($"Build the hub first: dotnet build -c {configuration} hub/src/Collab.Hub (looked for {hub}).");
            }
        }

        throw new DirectoryNotFoundException("Run the load generator from the Collab repository (no Collab.sln above " + AppContext.BaseDirectory + ").");
    }
}
