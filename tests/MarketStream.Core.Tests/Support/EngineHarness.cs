using MarketStream.Core.Engine;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Support;

/// <summary>
/// An engine over N symbols (S0, S1, …) whose ticks are pushed through sequencer and fan-out on
/// the calling thread, in ring order — what the two processor threads do, minus the threads.
/// </summary>
internal sealed class EngineHarness
{
    private long _ringSequence;

    public EngineHarness(int symbols = 4, int historyDepth = 1024, long startEpoch = 7, ManualTimeProvider? time = null)
    {
        Time = time ?? new ManualTimeProvider();
        Registry = new SymbolRegistry(Math.Max(symbols, 16));
        for (var i = 0; i < symbols; i++)
        {
            Registry.GetOrAdd(new SymbolDefinition($"S{i}", 2, 0, "USD", "TEST"));
        }

        Encoder = new TestUpdateEncoder();
        Engine = new MarketEngine(Registry, Encoder, new EngineOptions { HistoryDepth = historyDepth, StartEpoch = startEpoch }, Time);
    }

    public ManualTimeProvider Time { get; }

    public SymbolRegistry Registry { get; }

    public TestUpdateEncoder Encoder { get; }

    public MarketEngine Engine { get; }

    public static Tick Quote(int symbol, long bid, long ask, long bidSize = 10, long askSize = 10) =>
        new() { SymbolId = symbol, Kind = TickKind.Quote, BidPrice = bid, AskPrice = ask, BidSize = bidSize, AskSize = askSize };

    public static Tick Trade(int symbol, long price, long size, TradeSide side = TradeSide.Buy) =>
        new() { SymbolId = symbol, Kind = TickKind.Trade, Price = price, Size = size, Side = side };

    public SessionOutbox Outbox(int fullCapacity = 1024) => Engine.CreateOutbox(new OutboxOptions { FullQueueCapacity = fullCapacity });

    /// <summary>
    /// Runs one tick through both stages; returns it as sequenced. <paramref name="endOfBatch"/>
    /// false leaves it inside a ring batch: fan-out stages its offers until a tick that ends one.
    /// </summary>
    public Tick Publish(Tick tick, bool endOfBatch = true)
    {
        var sequence = _ringSequence++;
        Engine.Sequencing.OnEvent(ref tick, sequence, endOfBatch);
        Engine.FanOut.OnEvent(ref tick, sequence, endOfBatch);
        return tick;
    }

    public Tick PublishQuote(int symbol, long bid) => Publish(Quote(symbol, bid, bid + 1));

    public Tick PublishTrade(int symbol, long price, long size = 1) => Publish(Trade(symbol, price, size));
}
