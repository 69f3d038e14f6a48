namespace Collab.Hub.Voice;

/// <summary>Finds what the hub needs to start its media edge: the Node.js executable and the edge's folder.</summary>
internal static class MediaEdgeLocator
{
    internal const string EntryFile = "edge.mjs";

    /// <summary>How far up from the content root and the app's folder a source tree's edge is looked for.</summary>
    private const int MaxAncestors = 8;

    /// <summary>The executable for <paramref name="node"/> (a path, or a name on PATH), or null.</summary>
    public static string? FindNode(string node)
    {
        if (node.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(node) ? Path.GetFullPath(node) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? [node + ".exe", node] : new[] { node })
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The edge's folder: the configured one, else media-edge/ beside the app (a published hub, the container), else
    /// hub/src/Collab.MediaEdge above the content root or the app's folder (<c>dotnet run</c>, tests, a build).
    /// </summary>
    public static string? FindDirectory(string? configured, string contentRoot, string appBase)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, EntryFile)) ? Path.GetFullPath(configured) : null;
        }

        var published = Path.Combine(appBase, "media-edge");
        if (File.Exists(Path.Combine(published, EntryFile)))
        {
            return published;
        }

        foreach (var start in new[] { contentRoot, appBase })
        {
            var folder = new DirectoryInfo(start);
            for (var i = 0; folder is not null && i < MaxAncestors; i++, folder = folder.Parent)
            {
                foreach (var relative in new[] { "Collab.MediaEdge", Path.Combine("hub", "src", "Collab.MediaEdge") })
                {
                    var candidate = Path.Combine(folder.FullName, relative);
                    if (File.Exists(Path.Combine(candidate, EntryFile)))
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }
}
