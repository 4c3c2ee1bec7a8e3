using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Feeds.Tests;

/// <summary>A ring stage that keeps a copy of every tick it sees, in ring order.</summary>
internal sealed class TickCollector : IEventHandler<Tick>
{
    private readonly List<Tick> _ticks;

    public TickCollector(int capacity = 1024) => _ticks = new List<Tick>(capacity);

    public List<Tick> Ticks => _ticks;

    public void OnEvent(ref Tick data, long sequence, bool endOfBatch) => _ticks.Add(data);
}
