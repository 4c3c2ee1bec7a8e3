using MarketStream.Core.Engine;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// The engine scenario shared by the engine benchmarks, independent of what drives the stages, so
/// the same setup can sit behind the tick ring (ring → sequencer → fan-out) once that is merged:
/// <see cref="Symbols"/> symbols; <c>sessions</c> conflating sessions each subscribed to
/// <see cref="SymbolsPerSession"/> distinct random symbols (fixed seed); a pre-generated feed of
/// quotes (3 in 4) and trades over uniformly random symbols. Updates are encoded by the product's
/// <see cref="MessagePackUpdateEncoder"/> and drained through <see cref="BatchWriterSink"/> into a
/// real <see cref="BatchWriter"/>.
/// </summary>
internal sealed class EngineBenchmarkSetup
{
    public const int Symbols = 1000;
    public const int SymbolsPerSession = 50;

    public EngineBenchmarkSetup(int sessions, int feedLength, int historyDepth = 1024)
    {
        var registry = new SymbolRegistry(Symbols);
        var definitions = new SymbolDefinition[Symbols];
        for (var i = 0; i < Symbols; i++)
        {
            definitions[i] = new SymbolDefinition($"SYM{i:D4}", 4, 0, "USD", "BENCH");
        }

        registry.AddRange(definitions);
        Engine = new MarketEngine(registry, MessagePackUpdateEncoder.Instance, new EngineOptions { HistoryDepth = historyDepth, StartEpoch = 1 });
        var random = new Random(42);
        Outboxes = new SessionOutbox[sessions];
        var writer = new BatchWriter(64 * 1024);
        var sink = new BatchWriterSink(writer);
        for (var s = 0; s < sessions; s++)
        {
            var outbox = Engine.CreateOutbox();
            var chosen = new HashSet<int>();
            while (chosen.Count < SymbolsPerSession)
            {
                chosen.Add(random.Next(Symbols));
            }

            foreach (var symbol in chosen)
            {
                outbox.Subscribe(symbol, new SubscriptionOptions());
            }

            while (outbox.Drain(sink) == DrainStatus.FrameFull)
            {
                writer.Reset();
            }

            writer.Reset();
            Outboxes[s] = outbox;
        }

        Feed = new Tick[feedLength];
        for (var i = 0; i < feedLength; i++)
        {
            var symbol = random.Next(Symbols);
            var price = 1_000_000 + random.Next(10_000);
            Feed[i] = random.Next(4) == 0
                ? new Tick { SymbolId = symbol, Kind = TickKind.Trade, Price = price, Size = 1 + random.Next(100), Side = TradeSide.Buy }
                : new Tick { SymbolId = symbol, Kind = TickKind.Quote, BidPrice = price, AskPrice = price + 1, BidSize = 100, AskSize = 200 };
        }

        SubscriptionsPerTick = (double)sessions * SymbolsPerSession / Symbols;
    }

    public MarketEngine Engine { get; }

    public SessionOutbox[] Outboxes { get; }

    public Tick[] Feed { get; }

    /// <summary>Average offers per tick (fan-out factor).</summary>
    public double SubscriptionsPerTick { get; }
}
