namespace MarketStream.LoadTest.Targets;

/// <summary>
/// Finds the servers' build outputs: &lt;repo&gt;/src/MarketStream.Server/bin/&lt;Configuration&gt;/net10.0/ and
/// &lt;repo&gt;/perf/MarketStream.SignalRBaseline/bin/…, in the configuration this tool was built in (its
/// project references both, so building it builds them). <c>--server-dll</c> / <c>--baseline-dll</c> override.
/// </summary>
internal static class ServerLocator
{
    public static string Dll(TargetKind kind, string? overridePath)
    {
        if (overridePath is not null)
        {
            return Path.GetFullPath(overridePath);
        }

        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = baseDir.Name; // net10.0
        var configuration = baseDir.Parent?.Name ?? "Release";
        var root = RepositoryRoot();
        return kind == TargetKind.SignalR
            ? Path.Combine(root, "perf", "MarketStream.SignalRBaseline", "bin", configuration, framework, "MarketStream.SignalRBaseline.dll")
            : Path.Combine(root, "src", "MarketStream.Server", "bin", configuration, framework, "MarketStream.Server.dll");
    }

    /// <summary>The folder holding MarketStream.sln, above this tool's binaries (or the current directory).</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MarketStream.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
