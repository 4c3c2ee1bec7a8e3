using MarketStream.Model;
using System.Text;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Tests;

public sealed class MalformedFileTests
{
    private const string Header = "exchange_time_ns,symbol,kind,bid_price,bid_size,ask_price,ask_size,price,size,side,conditions";

    public static TheoryData<string, string> BadCsv => new()
    {
        { "time,symbol\n1,AAPL", "line 1: expected the header" },
        { "", "empty: expected the header" },
        { Header + "\n1,AAPL,Q,1.00,1,1.01", "line 2: expected 11 fields, found 6" },
        { Header + "\nabc,AAPL,Q,1.00,1,1.01,1,,,,", "line 2: exchange_time_ns is not an integer" },
        { Header + "\n1,AAPL,Q,1.001,1,1.01,1,,,,", "line 2: bid_price is not a decimal with at most 2 decimals" },
        { Header + "\n1,AAPL,Q,1.0x,1,1.01,1,,,,", "line 2: bid_price is not a decimal" },
        { Header + "\n1,AAPL,Q,99999999999999999999,1,1.01,1,,,,", "line 2: bid_price is not a decimal" },
        { Header + "\n# comment\n\n1,AAPL,Q,1.00,1,1.01,1,1.00,,,", "line 4: a quote (Q) must leave price, size, side and conditions empty" },
        { Header + "\n1,AAPL,T,1.00,,,,1.00,1,B,", "line 2: a trade (T) must leave bid_price" },
        { Header + "\n1,AAPL,T,,,,,1.00,1,B,70000", "line 2: conditions is not an integer" },
        { Header + "\n1,AAPL,Q," + new string('9', 2000), "line 2: line longer than 1024 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void CsvReader_MalformedInput_ThrowsWithLine(string text, string expected)
    {
        var ex = Assert.Throws<FeedDataException>(() => ReadAll(new CsvTickReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), TestData.Universe, "bad.csv")));
        Assert.StartsWith("bad.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvReader_CrLfAndNoFinalNewline_Accepted()
    {
        var text = Header + "\r\n1,AAPL,Q,1.00,1,1.01,1,,,,\r\n2,AAPL,T,,,,,1.01,5,S,";
        var ticks = ReadAll(new CsvTickReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), TestData.Universe, "ok.csv"));
        Assert.Equal(2, ticks.Count);
        Assert.Equal(101, ticks[1].Price);
        Assert.Equal(TradeSide.Sell, ticks[1].Side);
    }

    [Fact]
    public void BinaryReader_BadMagic_Throws()
    {
        var bytes = ValidCapture();
        bytes[0] = (byte)'X';
        AssertBinaryError(bytes, "offset 0: not a MarketStream tick capture");
    }

    [Fact]
    public void BinaryReader_UnknownVersion_Throws()
    {
        var bytes = ValidCapture();
        bytes[4] = 9;
        AssertBinaryError(bytes, "offset 4: format version 9 is not supported");
    }

    [Fact]
    public void BinaryReader_HugeSymbolCount_ThrowsWithoutAllocating()
    {
        var bytes = ValidCapture();
        bytes[8] = bytes[9] = bytes[10] = bytes[11] = 0xFF;
        AssertBinaryError(bytes, "offset 8: symbol count 4294967295 is outside");
    }

    [Fact]
    public void BinaryReader_TooShort_Throws() => AssertBinaryError([(byte)'M', (byte)'S'], "offset 0: too short for a header");

    [Fact]
    public void BinaryReader_Truncated_ThrowsNoEndMarker()
    {
        var bytes = ValidCapture();
        var (recordsStart, _) = Layout(bytes);
        AssertBinaryError(bytes[..recordsStart], "truncated: no end marker after 0 records");
        AssertBinaryError(bytes[..^3], "truncated");
    }

    [Fact]
    public void BinaryReader_TrailingBytes_Throws()
    {
        byte[] bytes = [.. ValidCapture(), 0x01];
        AssertBinaryError(bytes, "data after the end marker");
    }

    [Fact]
    public void BinaryReader_WrongRecordCount_Throws()
    {
        var bytes = ValidCapture();
        bytes[^1] = 99;
        AssertBinaryError(bytes, "end marker says 99 records, the file holds 3");
    }

    [Fact]
    public void BinaryReader_ReservedTagBits_Throws()
    {
        var bytes = ValidCapture();
        var (recordsStart, _) = Layout(bytes);
        bytes[recordsStart] |= 0x80;
        AssertBinaryError(bytes, $"offset {recordsStart}: record tag 0x81 has reserved bits set");
    }

    [Fact]
    public void BinaryReader_SymbolIndexOutOfTable_Throws()
    {
        var bytes = ValidCapture();
        var (recordsStart, _) = Layout(bytes);
        bytes[recordsStart + 1] = 0x7F; // symbol index 127 of a 2-symbol table
        AssertBinaryError(bytes, "symbol index 127 is outside the symbol table (2 symbols)");
    }

    [Fact]
    public void BinaryReader_OverlongVarint_Throws()
    {
        var bytes = ValidCapture();
        var (recordsStart, _) = Layout(bytes);
        byte[] broken = [.. bytes[..(recordsStart + 2)], .. Enumerable.Repeat((byte)0xFF, 11), .. bytes[(recordsStart + 2)..]];
        AssertBinaryError(broken, "varint");
    }

    [Fact]
    public void BinaryReader_ScaleMismatch_Throws()
    {
        var bytes = ValidCapture();
        var (_, firstEntry) = Layout(bytes);
        bytes[firstEntry + 1 + 4] = 4; // AAPL price scale 2 → 4
        AssertBinaryError(bytes, "symbol 'AAPL' has scales 4/0 in the file but 2/0 in the universe");
    }

    [Fact]
    public void BinaryReader_SymbolNotInUniverse_RejectsItsRecords()
    {
        var small = new SymbolUniverse([TestData.Universe.Entries[0]]); // AAPL only
        var reader = new BinaryTickReader(new MemoryStream(ValidCapture()), small, "cap.mstk");
        var tick = default(Tick);
        var statuses = new List<(TickReadStatus, IngestRejectCode)>();
        TickReadStatus status;
        while ((status = reader.Read(ref tick, out var reason)) != TickReadStatus.End)
        {
            statuses.Add((status, reason));
        }

        Assert.Equal([(TickReadStatus.Tick, IngestRejectCode.None), (TickReadStatus.Rejected, IngestRejectCode.UnknownSymbol), (TickReadStatus.Tick, IngestRejectCode.None)], statuses);
    }

    [Fact]
    public void BinaryReader_RandomCorruption_OnlyEverThrowsFeedDataException()
    {
        var valid = ValidCapture(records: 200);
        var rng = new Random(1234);
        for (var iteration = 0; iteration < 3_000; iteration++)
        {
            var bytes = (byte[])valid.Clone();
            var flips = 1 + rng.Next(4);
            for (var f = 0; f < flips; f++)
            {
                bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            }

            var length = rng.Next(4) == 0 ? rng.Next(bytes.Length) : bytes.Length;
            try
            {
                ReadAll(new BinaryTickReader(new MemoryStream(bytes, 0, length), TestData.Universe, "fuzz.mstk"));
            }
            catch (FeedDataException)
            {
            }
        }
    }

    [Fact]
    public void CsvReader_RandomCorruption_OnlyEverThrowsFeedDataException()
    {
        var valid = Encoding.UTF8.GetBytes(Header + "\n1,AAPL,Q,189.50,100,189.51,200,,,,\n2,EURUSD,T,,,,,1.09410,100000,B,3\n3,BTCUSD,Q,42250.00,0.00100000,42251.00,0.50000000,,,,\n");
        var rng = new Random(99);
        for (var iteration = 0; iteration < 3_000; iteration++)
        {
            var bytes = (byte[])valid.Clone();
            bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            try
            {
                ReadAll(new CsvTickReader(new MemoryStream(bytes), TestData.Universe, "fuzz.csv"));
            }
            catch (FeedDataException)
            {
            }
        }
    }

    [Theory]
    [InlineData("name,scale\nAAPL,2", "line 1: expected the header")]
    [InlineData("name,price_scale,size_scale,currency,venue,start_price,lot_size\nAAPL,12,0,USD,US,1.00,1", "line 2: price_scale '12' is not an integer 0–9")]
    [InlineData("name,price_scale,size_scale,currency,venue,start_price,lot_size\nAAPL,2,0,USD,US,-1.00,1", "line 2: start_price '-1.00' is not a positive decimal")]
    [InlineData("name,price_scale,size_scale,currency,venue,start_price,lot_size\nAAPL,2,0,USD,US,1.00,1\nAAPL,2,0,USD,US,1.00,1", "line 3: symbol 'AAPL' appears twice")]
    [InlineData("name,price_scale,size_scale,currency,venue,start_price,lot_size\nAAPL,2,0,USD,US,1.00", "line 2: expected 7 fields, found 6")]
    [InlineData("name,price_scale,size_scale,currency,venue,start_price,lot_size\n", "no symbols")]
    public void UniverseLoader_Malformed_ThrowsWithLine(string text, string expected)
    {
        var ex = Assert.Throws<FeedDataException>(() => UniverseLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), "u.csv"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniverseLoader_EmbeddedUniverse_HasEquitiesFxAndCrypto()
    {
        var u = TestData.Universe;
        Assert.InRange(u.Count, 50, 200);
        Assert.Equal(0, u.IdOf("AAPL"));
        var eurjpy = u.Symbols[u.IdOf("EURJPY")];
        Assert.Equal(3, eurjpy.PriceScale);
        var btc = u.Entries[u.IdOf("BTCUSD")];
        Assert.Equal(8, btc.Symbol.SizeScale);
        Assert.Equal(100_000, btc.LotSize); // 0.001 BTC
        Assert.True(u.IdOf("EURGBP") > 0 && u.IdOf("EURUSD") > 0);

        var fromFile = UniverseLoader.Load(Path.Combine(TestData.DataDir, "universe.csv"));
        Assert.Equal(u.Entries, fromFile.Entries);
    }

    private static List<Tick> ReadAll(ITickReader reader)
    {
        using (reader)
        {
            var list = new List<Tick>();
            var tick = default(Tick);
            TickReadStatus status;
            while ((status = reader.Read(ref tick, out _)) != TickReadStatus.End)
            {
                if (status == TickReadStatus.Tick)
                {
                    list.Add(tick);
                }
            }

            return list;
        }
    }

    private static void AssertBinaryError(byte[] bytes, string expected)
    {
        var ex = Assert.Throws<FeedDataException>(() => ReadAll(new BinaryTickReader(new MemoryStream(bytes), TestData.Universe, "cap.mstk")));
        Assert.StartsWith("cap.mstk", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A capture over a two-symbol universe (AAPL, EURUSD) with a few records.</summary>
    private static byte[] ValidCapture(int records = 3)
    {
        var universe = new SymbolUniverse([TestData.Universe.Entries[0], TestData.Universe.Entries[TestData.Universe.IdOf("EURUSD")] with { Symbol = TestData.Universe.Symbols[TestData.Universe.IdOf("EURUSD")] with { Id = 1 } }]);
        var stream = new MemoryStream();
        using (var writer = new BinaryTickWriter(stream, universe, leaveOpen: true))
        {
            for (var i = 0; i < records; i++)
            {
                var t = i % 3 == 1
                    ? new Tick { SymbolId = 1, Kind = TickKind.Trade, Price = 109_410 + i, Size = 100_000, Side = TradeSide.Buy, ExchangeTimeNs = 1_000 + i }
                    : new Tick { SymbolId = 0, Kind = TickKind.Quote, BidPrice = 18_950 + i, AskPrice = 18_951 + i, BidSize = 100, AskSize = 200, ExchangeTimeNs = 1_000 + i };
                writer.Write(in t);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Offset of the first record and of the first symbol entry (after the 12-byte fixed header).</summary>
    private static (int RecordsStart, int FirstEntry) Layout(byte[] bytes)
    {
        var pos = 12;
        for (var i = 0; i < 2; i++)
        {
            pos += 1 + bytes[pos] + 2;
        }

        return (pos, 12);
    }
}
