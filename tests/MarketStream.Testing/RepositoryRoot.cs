namespace MarketStream.Testing;

/// <summary>The repository checkout the tests run from: the folder holding MarketStream.sln, found above the test binaries.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> LazyPath = new(Find);

    /// <summary>Full path of the repository root.</summary>
    public static string Path => LazyPath.Value;

    /// <summary>A path under the repository root, e.g. <c>Combine("docs", "protocol.md")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MarketStream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MarketStream.sln not found above {AppContext.BaseDirectory}.");
    }
}
