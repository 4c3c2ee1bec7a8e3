using MarketStream.Core.Engine;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// The end-to-end scenario of <see cref="EngineThroughputHarness"/>: an engine with the real
/// <see cref="MessagePackUpdateEncoder"/>, <see cref="Symbols"/> symbols, N conflating sessions each
/// subscribed to <see cref="SymbolsPerSession"/> distinct random symbols (initial snapshots already
/// drained), and a pre-built feed so tick generation is not timed.
/// </summary>
internal sealed class EngineScenario
{
    public const int Symbols = 1000;
    public const int SymbolsPerSession = 50;
    public const int FeedLength = 1 << 20;

    /// <summary>Updates each symbol's history keeps (the engine's HistoryDepth).</summary>
    public const int HistoryDepth = 1024;

    public EngineScenario(int sessions, Tick[] feed, int seed)
    {
        var registry = new SymbolRegistry(Symbols);
        var definitions = new SymbolDefinition[Symbols];
        for (var i = 0; i < Symbols; i++)
        {
            definitions[i] = new SymbolDefinition($"SYM{i:D4}", 4, 0, "USD", "BENCH");
        }

        registry.AddRange(definitions);
        Engine = new MarketEngine(registry, MessagePackUpdateEncoder.Instance, new EngineOptions { HistoryDepth = HistoryDepth, StartEpoch = 1 });
        Feed = feed;
        Outboxes = new SessionOutbox[sessions];
        var random = new Random(seed);
        var writer = new BatchWriter(64 * 1024);
        var sink = new BatchWriterSink(writer);
        var chosen = new HashSet<int>();
        for (var s = 0; s < sessions; s++)
        {
            var outbox = Engine.CreateOutbox();
            chosen.Clear();
            while (chosen.Count < SymbolsPerSession)
            {
                chosen.Add(random.Next(Symbols));
            }

            foreach (var symbol in chosen)
            {
                outbox.Subscribe(symbol, new SubscriptionOptions(DeliveryMode.Conflated));
            }

            // The subscribe snapshots: drained before the clock starts, so the session is live.
            while (outbox.Drain(sink) == DrainStatus.FrameFull)
            {
                writer.Reset();
            }

            writer.Reset();
            Outboxes[s] = outbox;
        }
    }

    public MarketEngine Engine { get; }

    public SessionOutbox[] Outboxes { get; }

    public Tick[] Feed { get; }

    /// <summary>
    /// A feed shaped like a consolidated equities tape: 3 quotes to 1 trade over uniformly random
    /// symbols (the cache-unfriendly case: no hot set), per-symbol random-walk prices with a 1–3
    /// tick spread, trades at the touch with the matching aggressor side, varied sizes, and
    /// nanosecond timestamps of today's magnitude (so MessagePack integers have realistic widths).
    /// Epoch and Seq are 0: the engine assigns them.
    /// </summary>
    public static Tick[] BuildFeed(int seed)
    {
        var random = new Random(seed);
        var mid = new long[Symbols];
        for (var i = 0; i < Symbols; i++)
        {
            mid[i] = 100_000 + random.Next(5_000_000); // $10.0000 – $510.0000 at scale 4
        }

        var feed = new Tick[FeedLength];
        var time = 1_763_900_000_000_000_000L;
        for (var i = 0; i < feed.Length; i++)
        {
            var symbol = random.Next(Symbols);
            mid[symbol] = Math.Max(100, mid[symbol] + random.Next(-3, 4));
            time += 200 + random.Next(800);
            var spread = 1 + random.Next(3);
            var bid = mid[symbol] - (spread / 2);
            var ask = bid + spread;
            if (random.Next(4) == 0)
            {
                var buy = random.Next(2) == 0;
                feed[i] = new Tick
                {
                    SymbolId = symbol,
                    Kind = TickKind.Trade,
                    Side = buy ? TradeSide.Buy : TradeSide.Sell,
                    Price = buy ? ask : bid,
                    Size = 1 + random.Next(500),
                    ExchangeTimeNs = time - 40_000,
                    ReceiveTimeNs = time,
                };
            }
            else
            {
                feed[i] = new Tick
                {
                    SymbolId = symbol,
                    Kind = TickKind.Quote,
                    BidPrice = bid,
                    BidSize = 100 * (1 + random.Next(20)),
                    AskPrice = ask,
                    AskSize = 100 * (1 + random.Next(20)),
                    ExchangeTimeNs = time - 40_000,
                    ReceiveTimeNs = time,
                };
            }
        }

        return feed;
    }
}
