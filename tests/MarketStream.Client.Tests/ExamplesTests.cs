using System.Text.RegularExpressions;
using MarketStream.Testing;

namespace MarketStream.Client.Tests;

/// <summary>
/// The quant examples as users run them: Python with Debian's /usr/bin/python3 (python3-websockets,
/// python3-msgpack) and the README's C# quick-start as its own process, against a real server; and the
/// README still shows exactly the files that run here.
/// </summary>
public sealed partial class ExamplesTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonExample_PrintsSnapshotsThenContiguousUpdatesWithoutGaps()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        await using var script = ExampleProcess.Start(Python, ["examples/python/marketstream_stream.py", "AAPL", "MSFT", "--url", server.WebSocketUri.ToString(), "--count", "40"]);

        var lines = await script.ReadLinesAsync(l => l[^1].StartsWith("summary", StringComparison.Ordinal));
        Assert.Equal(0, await script.WaitForExitAsync());

        Assert.StartsWith("connected session=", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("ack id=1 mode=full symbols=", lines[1], StringComparison.Ordinal);
        var last = new Dictionary<string, long>();
        foreach (var line in lines.Where(l => l.StartsWith("snapshot", StringComparison.Ordinal) || l.StartsWith("update", StringComparison.Ordinal)))
        {
            var m = EventLine().Match(line);
            Assert.True(m.Success, line);
            var (kind, symbol, seq) = (m.Groups["kind"].Value, m.Groups["symbol"].Value, long.Parse(m.Groups["seq"].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (kind == "snapshot")
            {
                Assert.False(last.ContainsKey(symbol), $"second snapshot: {line}");
            }
            else
            {
                Assert.True(last.TryGetValue(symbol, out var previous), $"update before snapshot: {line}");
                Assert.Equal(previous + 1, seq);
                Assert.Matches(@" (quote bid=\d+\.\d{2} ask=\d+\.\d{2}|trade price=\d+\.\d{2} size=\d+ side=\w+)$", line);
            }

            last[symbol] = seq;
        }

        Assert.Equal(["AAPL", "MSFT"], last.Keys.Order());
        Assert.DoesNotContain(lines, l => l.StartsWith("GAP", StringComparison.Ordinal));
        Assert.Matches(@"^summary updates=40 merged=0 gaps=0 resets=0 reconnects=0$", lines[^1]);
    }

    [Fact]
    public async Task PythonExample_ConnectionDropped_ReconnectsAndResumesWithoutGapOrReset()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(150, "AAPL", "MSFT"));
        await using var proxy = new TcpCutProxy(server.WebSocketUri);
        await using var script = ExampleProcess.Start(Python, ["examples/python/marketstream_stream.py", "AAPL", "MSFT", "--url", proxy.WebSocketUri.ToString(), "--count", "150", "--seconds", "60"]);
        var before = await script.ReadLinesAsync(l => l.Count(x => x.StartsWith("update", StringComparison.Ordinal)) >= 20);

        // Down for 600 ms (connections reset, then refused): ~90 updates happen meanwhile, well inside the history.
        proxy.Refusing = true;
        proxy.DropAll();
        await Task.Delay(600, TestContext.Current.CancellationToken);
        proxy.Refusing = false;
        var after = await script.ReadLinesAsync(l => l[^1].StartsWith("summary", StringComparison.Ordinal), TimeSpan.FromSeconds(40));
        Assert.Equal(0, await script.WaitForExitAsync());

        var lines = before.Concat(after).ToList();
        Assert.Contains(lines, l => l.StartsWith("disconnected code=1006 reconnect=1 in_ms=", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.StartsWith("connected session=", StringComparison.Ordinal)) >= 2, string.Join('\n', lines));
        // Resumed, not restarted: one snapshot per symbol (before the drop), then every seq once, in order.
        CheckSequences(lines.Where(l => l.StartsWith("snapshot", StringComparison.Ordinal) || l.StartsWith("update", StringComparison.Ordinal)).ToList(), EventLine());
        Assert.Equal(2, lines.Count(l => l.StartsWith("snapshot", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("GAP", StringComparison.Ordinal) || l.StartsWith("reset", StringComparison.Ordinal));
        Assert.Matches(@"^summary updates=150 merged=0 gaps=0 resets=0 reconnects=[1-9]\d*$", lines[^1]);
    }

    [Fact]
    public async Task PythonExample_UnknownSymbol_PrintsServerErrorAndExits1()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));
        await using var script = ExampleProcess.Start(Python, ["examples/python/marketstream_stream.py", "NOPE", "--url", server.WebSocketUri.ToString(), "--seconds", "10"]);

        var lines = await script.ReadLinesAsync(l => l[^1].StartsWith("summary", StringComparison.Ordinal));

        Assert.Equal(1, await script.WaitForExitAsync());
        Assert.Contains(lines, l => l.StartsWith("error code=1008 request=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PythonExample_NothingListening_ExplainsAndExits1()
    {
        await using var script = ExampleProcess.Start(Python, ["examples/python/marketstream_stream.py", "AAPL", "--url", "ws://127.0.0.1:9/ws"]);

        Assert.Equal(1, await script.WaitForExitAsync());
        Assert.Contains("error: cannot connect to ws://127.0.0.1:9/ws", script.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadmePythonSnippet_RunsAndPrintsSnapshotsThenIncreasingSequences()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "examples/python/quickstart.py")).TrimEnd(), ReadmeSnippet("examples/python/quickstart.py"));
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        await using var script = ExampleProcess.Start(Python, ["examples/python/quickstart.py"], new Dictionary<string, string> { ["MARKETSTREAM_URL"] = server.WebSocketUri.ToString() });

        var lines = await script.ReadLinesAsync(l => l.Count(x => x.StartsWith("update", StringComparison.Ordinal)) >= 20);

        CheckSequences(lines, QuickstartPythonLine());
        // Prices as decimals at the symbol's price scale (2 for the synthetic equities), kinds by name.
        var updates = lines.Where(l => l.StartsWith("update", StringComparison.Ordinal)).ToList();
        Assert.All(updates, l => Assert.Matches(@" (quote|trade) \d+\.\d{2} x \d+$", l));
    }

    [Fact]
    public async Task ReadmePythonSnippet_CtrlC_ExitsZeroWithoutTraceback()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        await using var script = ExampleProcess.Start(Python, ["examples/python/quickstart.py"], new Dictionary<string, string> { ["MARKETSTREAM_URL"] = server.WebSocketUri.ToString() });
        await script.ReadLinesAsync(l => l.Count(x => x.StartsWith("update", StringComparison.Ordinal)) >= 5);

        await script.InterruptAsync();

        Assert.Equal(0, await script.WaitForExitAsync());
        Assert.DoesNotContain("Traceback", script.Errors, StringComparison.Ordinal);
        Assert.Equal("", script.Errors);
    }

    [Fact]
    public async Task ReadmeCSharpSnippet_RunsAndPrintsSnapshotsThenIncreasingSequences()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "examples/csharp/QuantQuickstart/Program.cs")).TrimEnd(), ReadmeSnippet("examples/csharp/QuantQuickstart/Program.cs"));
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        var program = Path.Combine(AppContext.BaseDirectory, "QuantQuickstart.dll");
        await using var example = ExampleProcess.Start("dotnet", [program], new Dictionary<string, string> { ["MARKETSTREAM_URL"] = server.WebSocketUri.ToString() });

        var lines = await example.ReadLinesAsync(l => l.Count(x => x.StartsWith("Update", StringComparison.Ordinal)) >= 20);

        CheckSequences(lines, QuickstartCSharpLine());
        Assert.Contains(lines, l => Regex.IsMatch(l, @"bid \d+\.\d{2}$"));
    }

    /// <summary>Per symbol: a snapshot first, then every update at previous + 1.</summary>
    private static void CheckSequences(List<string> lines, Regex pattern)
    {
        var last = new Dictionary<string, long>();
        foreach (var line in lines)
        {
            var m = pattern.Match(line);
            Assert.True(m.Success, line);
            var symbol = m.Groups["symbol"].Value;
            var seq = long.Parse(m.Groups["seq"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (m.Groups["kind"].Value.Equals("snapshot", StringComparison.OrdinalIgnoreCase))
            {
                last[symbol] = seq;
                continue;
            }

            Assert.True(last.TryGetValue(symbol, out var previous), $"update before snapshot: {line}");
            Assert.Equal(previous + 1, seq);
            last[symbol] = seq;
        }

        Assert.Equal(2, last.Count);
    }

    /// <summary>The code block that follows <c>&lt;!-- snippet: path --&gt;</c> in README.md.</summary>
    private static string ReadmeSnippet(string path)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var marker = readme.IndexOf($"<!-- snippet: {path} -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no snippet of {path}");
        var start = readme.IndexOf('\n', readme.IndexOf("```", marker, StringComparison.Ordinal)) + 1;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        return readme[start..end].TrimEnd();
    }

    [GeneratedRegex(@"^(?<kind>snapshot|update) (?<symbol>[A-Z]+) epoch=\d+ seq=(?<seq>\d+)")]
    private static partial Regex EventLine();

    [GeneratedRegex(@"^(?<kind>snapshot|update) (?<symbol>[A-Z]+) seq (?<seq>\d+)")]
    private static partial Regex QuickstartPythonLine();

    [GeneratedRegex(@"^(?<kind>Snapshot|Update) (?<symbol>[A-Z]+) seq (?<seq>\d+) bid ")]
    private static partial Regex QuickstartCSharpLine();
}
