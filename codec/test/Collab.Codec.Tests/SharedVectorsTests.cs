using Collab.Codec.Vectors;

namespace Collab.Codec.Tests;

/// <summary>
/// codec/test/vectors: packet and batch bytes, the ladder, adapter traces and an aggregated reception report, as this
/// module makes them (<see cref="SharedVectors"/>). The web client's port (web/test/codec.test.mjs) checks itself
/// against the same files, so the two cannot drift: a change here fails this test until the files are rewritten
/// (<c>dotnet run --project codec/src/Collab.Codec.Cli -- vectors</c> from the repository root), and then the web
/// test until the port follows.
/// </summary>
public sealed class SharedVectorsTests
{
    private const string Rewrite = "rewrite them with `dotnet run --project codec/src/Collab.Codec.Cli -- vectors` from the repository root";

    public static TheoryData<string> Names => [.. SharedVectors.Files().Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_committed_vectors_are_what_this_module_produces(string name)
    {
        var path = Path.Combine(VectorsFolder(), name);

        Assert.True(File.Exists(path), $"{path} is missing; {Rewrite}.");
        Assert.Equal(SharedVectors.Files()[name], File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_vectors_folder_holds_no_file_this_module_does_not_write()
    {
        var committed = Directory.GetFiles(VectorsFolder()).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(SharedVectors.Files().Keys.Concat(SharedVectors.OtherWriters).Order(StringComparer.Ordinal), committed);
    }

    private static string VectorsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                return Path.Combine(dir.FullName, SharedVectors.Folder);
            }
        }

        throw new InvalidOperationException("The repository root (Collab.sln) is not above the test's directory.");
    }
}
