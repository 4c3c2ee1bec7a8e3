using System.Net;
using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;

namespace MarketStream.IntegrationTests.Operations;

[Collection(MetricsScrapeCollection.Name)]
public sealed class OperationsEndpointsTests
{
    [Fact]
    public async Task Readyz_EngineAndFeedRunning_Ready()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ready\":true", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiSymbols_ListsTheEmbeddedUniverseWithScales()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/symbols", TestContext.Current.CancellationToken));

        var symbols = doc.RootElement.EnumerateArray().ToList();
        Assert.True(symbols.Count > 50);
        var eurusd = symbols.Single(s => s.GetProperty("name").GetString() == "EURUSD");
        Assert.Equal(5, eurusd.GetProperty("priceScale").GetInt32());
    }

    [Fact]
    public async Task Metrics_ReflectTicksFlowingThroughThePipeline()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var first = TicksSequenced(await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        var second = first;
        for (var until = DateTime.UtcNow.AddSeconds(10); second <= first && DateTime.UtcNow < until;)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            second = TicksSequenced(await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        }

        Assert.True(second > first, $"ticks sequenced did not grow: {first} → {second}");
    }

    [Fact]
    public async Task Metrics_TargetInfo_NamesTheServiceAndVersion()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var targetInfo = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.True(targetInfo is not null, "target_info missing from /metrics:\n" + metrics);
        Assert.Contains("service_name=\"marketstream\"", targetInfo, StringComparison.Ordinal);
        Assert.Matches("service_version=\"\\d+\\.\\d+\\.\\d+", targetInfo);
    }

    [Fact]
    public async Task Start_InvalidOption_FailsWithMessageNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Engine:RingSize"] = "1000",
        }));

        Assert.Contains("RingSize", error.Message, StringComparison.Ordinal);
    }

    private static long TicksSequenced(string metrics)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("marketstream_ticks_sequenced_total", StringComparison.Ordinal))
            {
                return long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("marketstream_ticks_sequenced_total missing from /metrics:\n" + metrics);
    }
}
