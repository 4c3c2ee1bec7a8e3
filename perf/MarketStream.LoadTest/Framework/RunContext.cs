using System.Globalization;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Framework;

/// <summary>The options every scenario shares, and where a run writes.</summary>
internal sealed class RunContext
{
    public RunContext(CommandLine line, TextWriter output, string resultsDir)
    {
        ArgumentNullException.ThrowIfNull(line);
        Line = line;
        Out = output;
        ResultsDir = resultsDir;
        Targets = line.String("target", "marketstream") switch
        {
            "marketstream" => [TargetKind.MarketStream],
            "signalr" => [TargetKind.SignalR],
            "both" => [TargetKind.MarketStream, TargetKind.SignalR],
            var t => throw new FormatException($"--target must be marketstream, signalr or both, got '{t}'"),
        };
        if (line.String("url") is { } url)
        {
            AttachUri = new Uri(url.EndsWith('/') ? url : url + "/");
            LoopbackConnector.EnsureLoopback(AttachUri);
            if (Targets.Count > 1)
            {
                throw new FormatException("--url attaches to one running server: use --target marketstream or signalr with it");
            }
        }

        ServerPid = line.String("server-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null;
        SourceAddresses = line.Int("sources", 4, 1, 250);
        ReceiveBufferBytes = line.Int("rcvbuf", 0, 0, 64 * 1024 * 1024);
        ServerGcChoice = line.String("gc") switch
        {
            null => null,
            "server" => true,
            "workstation" => false,
            var g => throw new FormatException($"--gc must be server or workstation, got '{g}'"),
        };
        Seed = line.Int("seed", 42, 0, int.MaxValue);
        ServerDll = line.String("server-dll");
        BaselineDll = line.String("baseline-dll");
        Quiet = line.Flag("quiet");
    }

    public CommandLine Line { get; }

    public TextWriter Out { get; }

    /// <summary>perf/results/&lt;scenario&gt;-&lt;timestamp&gt;/ (server logs go here too).</summary>
    public string ResultsDir { get; }

    public IReadOnlyList<TargetKind> Targets { get; }

    /// <summary>Set by <c>--url</c>: load this running server instead of starting one.</summary>
    public Uri? AttachUri { get; }

    /// <summary>With <c>--url</c>: the server's pid, to sample its CPU and memory.</summary>
    public int? ServerPid { get; }

    public int SourceAddresses { get; }

    /// <summary><c>--rcvbuf</c>: SO_RCVBUF of client sockets; 0 = the OS default.</summary>
    public int ReceiveBufferBytes { get; }

    /// <summary><c>--gc server|workstation</c> for the started servers; null leaves it to the scenario.</summary>
    public bool? ServerGcChoice { get; }

    public int Seed { get; }

    public string? ServerDll { get; }

    public string? BaselineDll { get; }

    /// <summary>No live progress lines (the tests' runs).</summary>
    public bool Quiet { get; }

    public void Progress(string line)
    {
        if (!Quiet)
        {
            Out.WriteLine(line);
            Out.Flush();
        }
    }
}
