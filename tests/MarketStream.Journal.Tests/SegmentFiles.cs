using MarketStream.Model;
using MarketStream.Journal.Format;
using MarketStream.Journal.Storage;

namespace MarketStream.Journal.Tests;

/// <summary>Builds segments with known content and reads them back.</summary>
internal static class SegmentFiles
{
    public static readonly SymbolInfo[] Symbols =
    [
        new(0, "AAPL", 4, 0, "USD", "XNAS"),
        new(1, "MSFT", 4, 0, "USD", "XNAS"),
        new(2, "BTC-USD", 2, 8, "USD", "CBSE"),
    ];

    /// <summary>A deterministic tick: quote or trade, fields derived from the seed.</summary>
    public static Tick MakeTick(Random random, long seq)
    {
        var tick = new Tick
        {
            SymbolId = random.Next(Symbols.Length),
            Kind = random.Next(3) == 0 ? TickKind.Trade : TickKind.Quote,
            Epoch = 1_700_000_000_000,
            Seq = seq,
            ServerTimeNs = 1_765_000_000_000_000_000 + (seq * 1000),
            ExchangeTimeNs = random.NextInt64(),
            ReceiveTimeNs = random.NextInt64(),
        };
        if (tick.Kind == TickKind.Quote)
        {
            tick.BidPrice = random.NextInt64(1, 10_000_000);
            tick.BidSize = random.NextInt64(1, 10_000);
            tick.AskPrice = tick.BidPrice + random.Next(1, 100);
            tick.AskSize = random.NextInt64(1, 10_000);
        }
        else
        {
            tick.Price = random.NextInt64(1, 10_000_000);
            tick.Size = random.NextInt64(1, 10_000);
            tick.Side = (TradeSide)random.Next(0, 3);
            tick.Conditions = (ushort)random.Next(0, 65_536);
        }

        return tick;
    }

    /// <summary>Writes <paramref name="count"/> tick records to one new segment; returns the ticks and the end offset of each record.</summary>
    public static (Tick[] Ticks, long[] Ends, string Path) WriteSegment(string directory, int count, int seed)
    {
        var random = new Random(seed);
        var ticks = new Tick[count];
        var ends = new long[count];
        var scan = JournalScan.Run(directory, repair: true);
        using (var writer = new SegmentWriter(directory, scan.Segments, long.MaxValue, () => 1_765_000_000_000_000_000, () => Symbols))
        {
            var buffer = new byte[RecordWriter.MaxTickRecordLength];
            for (var i = 0; i < count; i++)
            {
                ticks[i] = MakeTick(random, i + 1);
                var length = RecordWriter.WriteTick(buffer, in ticks[i]);
                writer.Write(buffer.AsSpan(0, length));
                ends[i] = writer.Segments[^1].Length;
            }
        }

        return (ticks, ends, Directory.GetFiles(directory, "*.msj").Order(StringComparer.Ordinal).Last());
    }

    /// <summary>Decodes a tick record's payload back into a tick (the test's independent reader).</summary>
    public static Tick ToTick(in JournalRecord record)
    {
        var p = record.Payload;
        var tick = new Tick { SymbolId = record.SymbolId, Epoch = record.Epoch, Seq = record.Seq, ServerTimeNs = record.TimeNs };
        if (record.Channel == ChannelKind.Quotes)
        {
            Assert.Equal(JournalFormat.QuotePayloadLength, p.Length);
            tick.Kind = TickKind.Quote;
            tick.BidPrice = BitConverter.ToInt64(p);
            tick.BidSize = BitConverter.ToInt64(p[8..]);
            tick.AskPrice = BitConverter.ToInt64(p[16..]);
            tick.AskSize = BitConverter.ToInt64(p[24..]);
            tick.ExchangeTimeNs = BitConverter.ToInt64(p[32..]);
            tick.ReceiveTimeNs = BitConverter.ToInt64(p[40..]);
        }
        else
        {
            Assert.Equal(ChannelKind.Trades, record.Channel);
            Assert.Equal(JournalFormat.TradePayloadLength, p.Length);
            tick.Kind = TickKind.Trade;
            tick.Price = BitConverter.ToInt64(p);
            tick.Size = BitConverter.ToInt64(p[8..]);
            tick.ExchangeTimeNs = BitConverter.ToInt64(p[16..]);
            tick.ReceiveTimeNs = BitConverter.ToInt64(p[24..]);
            tick.Side = (TradeSide)p[32];
            tick.Conditions = BitConverter.ToUInt16(p[34..]);
        }

        return tick;
    }

    /// <summary>Reads every tick record of a segment (skipping definitions) until the reader stops.</summary>
    public static List<Tick> ReadTicks(SegmentReader reader)
    {
        var ticks = new List<Tick>();
        while (reader.TryRead(out var record))
        {
            if (record.Type == RecordType.Update)
            {
                ticks.Add(ToTick(in record));
            }
        }

        return ticks;
    }
}
