using MarketStream.Core.Tests.Support;

namespace MarketStream.Core.Tests.Engine;

/// <summary>
/// A symbol's history becomes resident memory on its first tick, all at once: the footprint is
/// flat from then on, so a server whose memory still climbs after every symbol has ticked has a
/// real leak, not history pages being written for the first time.
/// </summary>
[Trait("Category", "Slow")]
public class HistoryMemoryTests
{
    [Fact]
    public void FirstTick_MakesTheWholeHistoryResident()
    {
        // ~200 MB of history: far more than the freed, still-resident pinned-heap space earlier tests in
        // this process can leave behind for the allocator to reuse (which would count as resident either way).
        const int Symbols = 160;
        var h = new EngineHarness(symbols: Symbols, historyDepth: 4096);

        var residentBefore = ResidentAnonymousBytes();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var s = 0; s < Symbols; s++)
        {
            h.PublishQuote(s, 100);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var resident = ResidentAnonymousBytes() - residentBefore;

        // One tick writes one entry (one page) per symbol; untouched, the rest would stay virtual (~1 %).
        Assert.True(allocated > Symbols * 1_000_000L, $"history allocated {allocated:N0} B");
        Assert.True(resident >= allocated * 0.7, $"resident grew {resident:N0} B for {allocated:N0} B of history");
    }

    private static long ResidentAnonymousBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(8).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no RssAnon line in /proc/self/status");
    }
}
