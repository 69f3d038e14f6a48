using System.Text.Json;

namespace Collab.Hub.Tests.Deploy;

/// <summary>
/// The hub relays voice packets without decoding them: its dependency closure (the Collab.Hub.deps.json the build
/// writes, which the published image ships) holds the codec's runtime library and nothing of its evaluation side.
/// </summary>
public sealed class DependencyClosureTests
{
    [Fact]
    public void The_hub_depends_on_the_codec_runtime_and_not_on_evaluation_STOI_or_NAudio()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, "Collab.Hub.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name.Split('/')[0]).ToList();

        Assert.Contains("Collab.Codec", libraries);
        Assert.Contains("Concentus", libraries);
        Assert.DoesNotContain("Collab.Codec.Evaluation", libraries);
        Assert.DoesNotContain(libraries, name => name.StartsWith("NAudio", StringComparison.OrdinalIgnoreCase));
    }
}
