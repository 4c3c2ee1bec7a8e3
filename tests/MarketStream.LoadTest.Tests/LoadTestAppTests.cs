using System.Text.Json;
using MarketStream.LoadTest;

namespace MarketStream.LoadTest.Tests;

/// <summary>
/// Smoke tests of perf/MarketStream.LoadTest at tiny scale: each scenario starts its real server
/// process(es) on loopback, runs a few clients for a few seconds, and must write report.md,
/// a self-contained report.html and results.json with sane figures; a breached threshold must give
/// exit code 1, a usage error 2. (The figures of record come from perf/README.md's commands, not from here.)
/// </summary>
public sealed class LoadTestAppTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "ms-loadtest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Fanout_BothTargets_ReportsSaneFiguresAndRatios()
    {
        var (exit, json, dir) = await RunAsync("fanout", "--target", "both", "--clients", "4", "--symbols", "5", "--rate", "400", "--duration", "3", "--warmup", "1", "--feed-delay", "2");

        Assert.Equal(LoadTestApp.Passed, exit);
        var runs = json.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        foreach (var run in runs.EnumerateArray())
        {
            var m = run.GetProperty("metrics");
            Assert.Equal(4, m.GetProperty("clients").GetDouble());
            Assert.InRange(m.GetProperty("updates_per_sec").GetDouble(), 1, 1_000_000);
            Assert.True(m.GetProperty("latency_samples").GetDouble() > 0);
            var p50 = m.GetProperty("p50_ms").GetDouble();
            var p99 = m.GetProperty("p99_ms").GetDouble();
            Assert.InRange(p50, 0.001, 10_000);
            Assert.True(p99 >= p50 && m.GetProperty("max_ms").GetDouble() >= p99);
            Assert.True(m.GetProperty("server_rss_mb").GetDouble() > 10, "the server process's memory was sampled");
            Assert.True(run.GetProperty("intervals").GetArrayLength() >= 2);
            Assert.True(run.GetProperty("latencyDistribution").GetArrayLength() > 0);
        }

        Assert.True(json.GetProperty("comparisons").GetProperty("marketstream_vs_signalr_updates_per_sec").GetDouble() > 0);
        var html = await File.ReadAllTextAsync(Path.Combine(dir, "report.html"), TestContext.Current.CancellationToken);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal); // self-contained: nothing fetched, nothing run
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.Contains("PASSED", await File.ReadAllTextAsync(Path.Combine(dir, "report.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fanout_FullModeAfterFeedDelay_EveryClientInBeforeTheFeed_EveryUpdateOneTick()
    {
        var (exit, json, _) = await RunAsync("fanout", "--target", "both", "--mode", "full", "--clients", "12", "--symbols", "8", "--rate", "1000", "--duration", "3", "--warmup", "1", "--feed-delay", "10");

        Assert.Equal(LoadTestApp.Passed, exit);
        Assert.Equal("full", json.GetProperty("settings").GetProperty("subscription_mode").GetString());
        foreach (var run in json.GetProperty("runs").EnumerateArray())
        {
            var m = run.GetProperty("metrics");
            Assert.Equal(12, m.GetProperty("clients").GetDouble());
            Assert.Equal(0, m.GetProperty("merged_ratio").GetDouble());
            var updates = m.GetProperty("updates_per_sec").GetDouble();
            Assert.True(updates > 0);
            Assert.Equal(updates, m.GetProperty("ticks_covered_per_sec").GetDouble(), 6);
            foreach (var note in run.GetProperty("notes").EnumerateArray())
            {
                Assert.DoesNotContain("feed started before", note.GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ConnectStorm_FromSeveralSourceAddresses_ReportsMemoryPerConnection()
    {
        var (exit, json, _) = await RunAsync("connect-storm", "--connections", "60", "--sources", "3", "--hold", "2", "--settle", "1");

        Assert.Equal(LoadTestApp.Passed, exit);
        var m = json.GetProperty("runs")[0].GetProperty("metrics");
        Assert.Equal(60, m.GetProperty("connections").GetDouble());
        Assert.Equal(60, m.GetProperty("held_after_hold").GetDouble());
        Assert.True(m.GetProperty("connections_per_sec").GetDouble() > 0);
        Assert.True(double.IsFinite(m.GetProperty("server_kb_per_connection").GetDouble()));
    }

    [Fact]
    public async Task SlowConsumers_AfterTheStall_StalledClientsHoldTheLatestValues()
    {
        var (exit, json, _) = await RunAsync("slow-consumers", "--clients", "10", "--symbols", "8", "--rate", "400", "--baseline", "2", "--stall", "3", "--warmup", "1", "--recovery", "10");

        Assert.Equal(LoadTestApp.Passed, exit);
        var run = json.GetProperty("runs")[0];
        var check = Assert.Single(run.GetProperty("checks").EnumerateArray());
        Assert.Equal("latest_value_after_stall", check.GetProperty("name").GetString());
        Assert.True(check.GetProperty("passed").GetBoolean(), check.GetProperty("detail").GetString());
        var m = run.GetProperty("metrics");
        Assert.Equal(1, m.GetProperty("stalled_clients").GetDouble());
        Assert.True(m.GetProperty("fast_p99_ratio").GetDouble() > 0);
        Assert.True(m.GetProperty("baseline_fast_latency_samples").GetDouble() > 0);
        Assert.True(m.GetProperty("stall_fast_latency_samples").GetDouble() > 0);
    }

    [Fact]
    public async Task SlowConsumers_StalledClientsWithSmallWindowOnEverySymbol_ReportKernelSocketMemoryBesideRss()
    {
        var (exit, json, _) = await RunAsync("slow-consumers", "--clients", "4", "--stall-fraction", "0.25", "--symbols", "4", "--stalled-symbols", "104", "--stalled-rcvbuf", "4096", "--rate", "2000", "--baseline", "2", "--stall", "3", "--warmup", "1", "--recovery", "10");

        Assert.Equal(LoadTestApp.Passed, exit);
        var run = json.GetProperty("runs")[0];
        var m = run.GetProperty("metrics");
        Assert.Equal(1, m.GetProperty("stalled_clients").GetDouble());
        // The stalled client's socket is full, so the server's kernel holds something for it — bounded by the
        // server's 16 KiB not-sent low-water mark, not the megabytes the kernel would otherwise queue.
        var kernel = m.GetProperty("server_kernel_growth_per_stalled_kb").GetDouble();
        Assert.InRange(kernel, 1, 256);
        Assert.Equal(m.GetProperty("server_rss_growth_per_stalled_kb").GetDouble() + kernel, m.GetProperty("server_memory_per_stalled_kb").GetDouble(), 3);
        Assert.True(m.GetProperty("server_kernel_socket_mb_stalled").GetDouble() > 0);
    }

    [Fact]
    public async Task Soak_ReportsOneRowPerInterval()
    {
        var (exit, json, _) = await RunAsync("soak", "--clients", "4", "--symbols", "5", "--rate", "400", "--duration", "4", "--interval", "2", "--warmup", "1");

        Assert.Equal(LoadTestApp.Passed, exit);
        var run = json.GetProperty("runs")[0];
        var rows = run.GetProperty("intervals");
        Assert.Equal(2, rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            Assert.True(row.GetProperty("updatesPerSec").GetDouble() > 0);
            Assert.True(row.GetProperty("serverRssMb").GetDouble() > 10);
        }

        Assert.True(double.IsFinite(run.GetProperty("metrics").GetProperty("server_rss_slope_mb_per_min").GetDouble()));
    }

    [Fact]
    public async Task BreachedThreshold_ExitsWithOneAndSaysWhich()
    {
        var (exit, json, _) = await RunAsync("connect-storm", "--connections", "5", "--hold", "1", "--settle", "0", "--threshold", "connections_per_sec>1e12");

        Assert.Equal(LoadTestApp.ThresholdBreached, exit);
        Assert.False(json.GetProperty("passed").GetBoolean());
        var breached = json.GetProperty("thresholds").EnumerateArray().Single(t => !t.GetProperty("passed").GetBoolean());
        Assert.Equal("connections_per_sec>1000000000000", breached.GetProperty("threshold").GetString());
    }

    [Fact]
    public async Task UnknownOption_IsAUsageErrorBeforeAnythingStarts()
    {
        using var output = new StringWriter();

        var exit = await LoadTestApp.RunAsync(["fanout", "--clientz", "3", "--out", _out], output, TestContext.Current.CancellationToken);

        Assert.Equal(LoadTestApp.RunFailed, exit);
        Assert.Contains("unknown option --clientz", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out));
    }

    private async Task<(int Exit, JsonElement Json, string Dir)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await LoadTestApp.RunAsync([.. args, "--quiet", "--max-seconds", "90", "--out", _out], output, TestContext.Current.CancellationToken);
        var dir = Assert.Single(Directory.GetDirectories(_out));
        Assert.True(File.Exists(Path.Combine(dir, "report.md")), output.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "results.json"), TestContext.Current.CancellationToken)).RootElement.Clone();
        Assert.True(exit != LoadTestApp.RunFailed, output.ToString());
        return (exit, json, dir);
    }
}
