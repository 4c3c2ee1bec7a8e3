using System.Net;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Journal;
using MarketStream.Journal.Format;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Journal;

[Collection(MetricsScrapeCollection.Name)]
public sealed class JournalServerTests
{
    [Fact]
    public async Task Server_JournalEnabled_JournalsEverySequencedUpdateAndReportsMetrics()
    {
        var directory = Path.Combine(Path.GetTempPath(), "msj-server-" + Guid.NewGuid().ToString("N"));
        try
        {
            long sequenced;
            await using (var server = await RunningServer.StartAsync(new Dictionary<string, string?>
            {
                ["MarketStream:Journal:Enabled"] = "true",
                ["MarketStream:Journal:Path"] = directory,
                ["MarketStream:Feeds:Synthetic:Rate"] = "0",
                ["MarketStream:Feeds:Synthetic:MaxTicks"] = "50000",
                ["MarketStream:Feeds:Synthetic:Seed"] = "3",
            }))
            {
                var host = server.Services.GetRequiredService<EngineHost>();
                Assert.True(SpinWait.SpinUntil(() => host.Engine.TicksSequenced >= 50_000, TimeSpan.FromSeconds(60)));
                Assert.True(SpinWait.SpinUntil(() => host.JournalLag == 0, TimeSpan.FromSeconds(30)));
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
                foreach (var name in (string[])["marketstream_journal_bytes_written_total", "marketstream_journal_records_total", "marketstream_journal_missed_total", "marketstream_journal_faults_total", "marketstream_journal_lag", "marketstream_journal_segments", "marketstream_journal_oldest_retained_seconds", "marketstream_journal_state"])
                {
                    Assert.True(metrics.Contains("\n" + name + "{", StringComparison.Ordinal), string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("marketstream_journal", StringComparison.Ordinal))));
                }

                var ready = await http.GetStringAsync("/readyz", TestContext.Current.CancellationToken);
                Assert.DoesNotContain("degraded", ready, StringComparison.Ordinal);
                sequenced = host.Engine.TicksSequenced;
            }

            // An independent read of the files: every sequenced update, each symbol's seq +1 at a time.
            var updates = 0L;
            var last = new Dictionary<int, long>();
            foreach (var path in Directory.GetFiles(directory, "*.msj").Order(StringComparer.Ordinal))
            {
                using var reader = SegmentReader.Open(path, out var status)!;
                Assert.Equal(SegmentHeaderStatus.Ok, status);
                while (reader.TryRead(out var record))
                {
                    if (record.Type != RecordType.Update)
                    {
                        Assert.Equal(RecordType.SymbolDefinition, record.Type);
                        continue;
                    }

                    updates++;
                    var previous = last.GetValueOrDefault(record.SymbolId);
                    Assert.Equal(previous + 1, record.Seq);
                    last[record.SymbolId] = record.Seq;
                }

                Assert.Equal(SegmentTail.Clean, reader.Tail);
            }

            Assert.Equal(sequenced, updates);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Server_JournalPathUnwritable_StreamsOnAndReportsDegraded()
    {
        // A regular file where the journal's parent directory should be: nothing can be created under it.
        var blocker = Path.Combine(Path.GetTempPath(), "msj-blocker-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocker, "not a directory", TestContext.Current.CancellationToken);
        try
        {
            await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
            {
                ["MarketStream:Journal:Enabled"] = "true",
                ["MarketStream:Journal:Path"] = Path.Combine(blocker, "journal"),
                ["MarketStream:Journal:RetryInterval"] = "00:00:00.200",
            });
            var host = server.Services.GetRequiredService<EngineHost>();
            using var http = new HttpClient { BaseAddress = server.BaseAddress };

            var response = await http.GetAsync("/readyz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"degraded\":\"journal_faulted\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Equal(JournalState.Faulted, host.Journal!.State);

            // Live data goes on, and what could not be journaled is counted.
            var before = host.Engine.TicksSequenced;
            Assert.True(SpinWait.SpinUntil(() => host.Engine.TicksSequenced > before + 100, TimeSpan.FromSeconds(20)));
            Assert.True(SpinWait.SpinUntil(() => host.Journal.Missed > 0, TimeSpan.FromSeconds(20)));
            var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            var state = metrics.Split('\n').Single(l => l.StartsWith("marketstream_journal_state", StringComparison.Ordinal));
            Assert.Equal("2", state.Split(' ')[1]);
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
