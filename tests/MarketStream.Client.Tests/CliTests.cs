using System.Text.Json;
using MarketStream.Client.Cli;
using MarketStream.Testing;
using MarketStream.Protocol;

namespace MarketStream.Client.Tests;

/// <summary>The <c>marketstream</c> command line, run in-process against a real server (the same entry point Program.cs calls).</summary>
public sealed class CliTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribe_Csv_PrintsSnapshotFirstThenIncreasingSequences()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));

        var (code, output, error) = await RunAsync("subscribe", "AAPL", "MSFT", "--format", "csv", "--count", "30", "--mode", "full", "--url", server.WebSocketUri.ToString());

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,symbol,epoch,seq,first_seq,count,bid,bid_size,ask,ask_size,last,last_size,volume,exchange_time_ns,receive_time_ns,server_time_ns", lines[0]);
        Assert.Equal(30, lines.Length - 1);
        var last = new Dictionary<string, long>();
        foreach (var fields in lines.Skip(1).Select(l => l.Split(',')))
        {
            var (kind, symbol, seq) = (fields[0], fields[1], long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
            if (!last.TryGetValue(symbol, out var previous))
            {
                Assert.Equal("snapshot", kind);
            }
            else
            {
                Assert.Equal("update", kind);
                Assert.Equal(previous + 1, seq);
                Assert.Matches(@"^\d+\.\d{2}$", fields[6]); // bid with the symbol's 2 decimals
            }

            last[symbol] = seq;
        }

        Assert.Equal(["AAPL", "MSFT"], last.Keys.Order());
    }

    [Fact]
    public async Task Subscribe_Json_PrintsOneObjectPerLine()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "EURUSD"));

        var (code, output, error) = await RunAsync("subscribe", "EURUSD", "--format", "json", "--count", "10", "--url", server.BaseAddress.ToString());

        Assert.True(code == 0, error);
        var objects = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("connected", objects[0].GetProperty("kind").GetString());
        var market = objects.Where(o => o.TryGetProperty("symbol", out _)).ToList();
        Assert.Equal(10, market.Count);
        Assert.Equal("snapshot", market[0].GetProperty("kind").GetString());
        Assert.All(market, o => Assert.Equal("EURUSD", o.GetProperty("symbol").GetString()));
        Assert.All(market.Skip(1), o => Assert.Contains(o.GetProperty("kind").GetString(), new[] { "update", "merged" }));
        Assert.Matches(@"^\d+\.\d{5}$", market[^1].GetProperty("bid").GetString()!);
    }

    [Fact]
    public async Task Subscribe_Table_PrintsARowPerSymbol()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));

        var (code, output, error) = await RunAsync("subscribe", "AAPL", "MSFT", "--format", "table", "--seconds", "1", "--url", server.WebSocketUri.ToString());

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("SYMBOL", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("AAPL ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("MSFT ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_OutputRedirected_StreamsCsvLinesWhileRunning()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        var cli = Path.Combine(AppContext.BaseDirectory, "marketstream.dll");

        // No --format, --seconds or --count: the command runs until Ctrl+C, so every line read here came while it ran.
        await using var process = ExampleProcess.Start("dotnet", [cli, "subscribe", "AAPL", "MSFT", "--url", server.WebSocketUri.ToString()]);
        var lines = await process.ReadLinesAsync(l => l.Count >= 8);

        Assert.StartsWith("kind,symbol,epoch,seq,", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^(snapshot|update|merged),(AAPL|MSFT),\d+,\d+,", l));
        await process.InterruptAsync();
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Fact]
    public async Task Record_WritesAFileTheReplayFeedServes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"marketstream-record-{Guid.NewGuid():N}.mstk");
        try
        {
            long written;
            await using (var server = await GatewayServer.StartAsync(ClientKit.Feed(300, "AAPL", "MSFT")))
            {
                var (code, output, error) = await RunAsync("record", "AAPL", "MSFT", "--out", path, "--count", "40", "--url", server.WebSocketUri.ToString());
                Assert.True(code == 0, error);
                Assert.Matches(@"^recorded 40 ticks of 2 symbols", output);
                written = 40;
            }

            // A server replaying the file as fast as it can: its streams must add up to the recorded ticks.
            await using var replay = await GatewayServer.StartAsync(new Dictionary<string, string?>
            {
                ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
                ["MarketStream:Feeds:Replay:Enabled"] = "true",
                ["MarketStream:Feeds:Replay:Path"] = path,
                ["MarketStream:Feeds:Replay:Speed"] = "1000000",
            });
            await using var client = await ClientKit.ConnectAsync(replay);
            await client.SubscribeAsync(["AAPL", "MSFT"], cancellationToken: Cancel);
            var until = DateTime.UtcNow + ClientKit.Timeout;
            long total;
            do
            {
                await Task.Delay(50, Cancel);
                client.Book.TryGet("AAPL", out _, out var aapl);
                client.Book.TryGet("MSFT", out _, out var msft);
                total = aapl.Seq + msft.Seq;
            }
            while (total < written && DateTime.UtcNow < until);

            Assert.Equal(written, total);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Latency_ReportsPercentiles()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));

        var (code, output, error) = await RunAsync("latency", "AAPL", "MSFT", "--seconds", "1.5", "--url", server.WebSocketUri.ToString());

        Assert.True(code == 0, error);
        Assert.Matches(@"tick-to-client latency over \d+ updates", output);
        foreach (var label in new[] { "p50", "p90", "p99", "p99.9", "max" })
        {
            Assert.Matches($@"  {label.Replace(".", @"\.", StringComparison.Ordinal)}\s+\d+\.\d{{3}} ms", output);
        }
    }

    [Fact]
    public async Task Token_MintsATokenTheServerAccepts()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));

        var (code, output, error) = await RunAsync("token", "AAPL", "--subject", "quant", "--url", server.WebSocketUri.ToString());

        Assert.True(code == 0, error);
        var token = output.Trim();
        Assert.Equal(3, token.Split('.').Length);
        await using var client = await ClientKit.ConnectAsync(server, o => o.Token = token);
        var subscription = await client.SubscribeAsync(["AAPL"], cancellationToken: Cancel);
        Assert.Equal("AAPL", Assert.Single(subscription.Symbols).Name);
        var refused = await Assert.ThrowsAsync<MarketStreamException>(() => client.SubscribeAsync(["MSFT"], cancellationToken: Cancel));
        Assert.Equal(ErrorCode.NotEntitled, refused.ErrorCode);
    }

    [Fact]
    public async Task Token_WhereTheServerDoesNotMint_FailsWithExit1()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Auth:DevTokenEndpoint"] = "false" });

        var (code, _, error) = await RunAsync("token", "--url", server.WebSocketUri.ToString());

        Assert.Equal(1, code);
        Assert.Contains("DevTokenEndpoint", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "unknown command 'frobnicate'", "frobnicate")]
    [InlineData(2, "record needs --out", "record", "AAPL")]
    [InlineData(2, "--out must end in .mstk", "record", "AAPL", "--out", "ticks.txt")]
    [InlineData(2, "--format must be table, csv or json", "subscribe", "AAPL", "--format", "xml")]
    [InlineData(2, "unknown option --colour", "subscribe", "AAPL", "--colour", "red")]
    [InlineData(2, "name at least one symbol", "subscribe")]
    [InlineData(1, "cannot connect to ws://127.0.0.1:9/ws", "subscribe", "AAPL", "--url", "ws://127.0.0.1:9/ws")]
    public async Task BadInput_ExplainsAndExitsNonZero(int expectedCode, string expectedMessage, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(expectedCode, code);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_UnknownSymbol_ReportsServerCode()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));

        var (code, _, error) = await RunAsync("subscribe", "NOPE", "--format", "csv", "--url", server.WebSocketUri.ToString());

        Assert.Equal(1, code);
        Assert.Contains("1008", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, Cancel);
        return (code, output.ToString(), error.ToString());
    }
}
