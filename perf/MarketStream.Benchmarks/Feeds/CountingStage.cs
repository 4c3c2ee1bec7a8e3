using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Feeds;

/// <summary>The cheapest real consumer: touches each slot so the producer is what is measured.</summary>
internal sealed class CountingStage : IEventHandler<Tick>
{
    public long Sum;

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch) => Sum += data.SymbolId;
}
