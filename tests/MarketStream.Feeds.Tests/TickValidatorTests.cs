using MarketStream.Model;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Tests;

public sealed class TickValidatorTests
{
    private static readonly int Aapl = TestData.Universe.IdOf("AAPL");

    /// <summary>
    /// The ingest endpoint sends a IngestRejectCode to publishers as IngestRejectCode by value
    /// (docs/protocol.md §5.1): both enums must name the same codes.
    /// </summary>
    [Fact]
    public void IngestRejectCode_EveryCodeCountedAndNamed()
    {
        Assert.Equal(TickRejectCounts.ReasonCount, Enum.GetValues<IngestRejectCode>().Length);
        Assert.Equal(TickRejectCounts.ReasonCount - 1, Enum.GetValues<IngestRejectCode>().Skip(1).Select(TickRejectNames.Name).Distinct().Count(n => n != "none"));
    }

    public static TheoryData<string, IngestRejectCode> Cases => new()
    {
        { "valid quote", IngestRejectCode.None },
        { "valid trade", IngestRejectCode.None },
        { "locked quote", IngestRejectCode.None },
        { "unknown id", IngestRejectCode.UnknownSymbol },
        { "negative id", IngestRejectCode.UnknownSymbol },
        { "kind none", IngestRejectCode.BadKind },
        { "kind 7", IngestRejectCode.BadKind },
        { "zero bid", IngestRejectCode.NonPositivePrice },
        { "negative ask", IngestRejectCode.NonPositivePrice },
        { "zero trade price", IngestRejectCode.NonPositivePrice },
        { "negative bid size", IngestRejectCode.NegativeSize },
        { "zero trade size", IngestRejectCode.NegativeSize },
        { "crossed quote", IngestRejectCode.CrossedQuote },
        { "bad side", IngestRejectCode.BadSide },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Case_ReturnsAndCountsReason(string name, IngestRejectCode expected)
    {
        var tick = Make(name);
        var validator = new TickValidator(TestData.Universe);

        Assert.Equal(expected, validator.Validate(in tick));
        Assert.Equal(expected == IngestRejectCode.None ? 0 : 1, validator.Counts.Total);
        if (expected != IngestRejectCode.None)
        {
            Assert.Equal(1, validator.Counts[expected]);
        }
    }

    [Fact]
    public void Validate_LockedQuote_RejectedWhenConfigured()
    {
        var validator = new TickValidator(TestData.Universe, new TickValidationOptions { RejectLockedQuotes = true });
        var tick = Make("locked quote");
        Assert.Equal(IngestRejectCode.CrossedQuote, validator.Validate(in tick));
    }

    [Fact]
    public void Validate_OutOfOrderPerSymbol_RejectedOnlyWhenEnforced()
    {
        var validator = new TickValidator(TestData.Universe);
        var first = Make("valid quote");
        first.ExchangeTimeNs = 2_000;
        var other = Make("valid quote");
        other.SymbolId = Aapl + 1;
        other.ExchangeTimeNs = 1_000; // another symbol: its own clock
        var late = Make("valid trade");
        late.ExchangeTimeNs = 1_999;
        var same = Make("valid trade");
        same.ExchangeTimeNs = 2_000;
        var none = Make("valid trade");
        none.ExchangeTimeNs = 0; // no venue time: not checked

        Assert.Equal(IngestRejectCode.None, validator.Validate(in first));
        Assert.Equal(IngestRejectCode.None, validator.Validate(in other));
        Assert.Equal(IngestRejectCode.OutOfOrder, validator.Validate(in late));
        Assert.Equal(IngestRejectCode.None, validator.Validate(in same));
        Assert.Equal(IngestRejectCode.None, validator.Validate(in none));
        Assert.Equal(1, validator.Counts[IngestRejectCode.OutOfOrder]);

        var lenient = new TickValidator(TestData.Universe, new TickValidationOptions { RequireOrderedExchangeTime = false });
        Assert.Equal(IngestRejectCode.None, lenient.Validate(in first));
        Assert.Equal(IngestRejectCode.None, lenient.Validate(in late));
    }

    [Fact]
    public void ResolveSymbol_UnknownAndOverlong_Counted()
    {
        var counts = new TickRejectCounts();
        var a = new TickValidator(TestData.Universe, counts: counts);
        var b = new TickValidator(TestData.Universe, counts: counts);

        Assert.Equal(IngestRejectCode.None, a.ResolveSymbol("EURUSD", out var id));
        Assert.Equal(TestData.Universe.IdOf("EURUSD"), id);
        Assert.Equal(IngestRejectCode.UnknownSymbol, a.ResolveSymbol("eurusd", out id));
        Assert.Equal(-1, id);
        Assert.Equal(IngestRejectCode.UnknownSymbol, b.ResolveSymbol("", out _));
        Assert.Equal(IngestRejectCode.InvalidSymbol, b.ResolveSymbol(new string('A', 33), out _));

        Assert.Equal(2, counts[IngestRejectCode.UnknownSymbol]);
        Assert.Equal(1, counts[IngestRejectCode.InvalidSymbol]);
        Assert.Equal(3, counts.Total);
    }

    [Fact]
    public void RejectReasons_HaveStableValues()
    {
        Assert.Equal(1, (int)IngestRejectCode.UnknownSymbol);
        Assert.Equal(2, (int)IngestRejectCode.BadKind);
        Assert.Equal(3, (int)IngestRejectCode.NonPositivePrice);
        Assert.Equal(4, (int)IngestRejectCode.NegativeSize);
        Assert.Equal(5, (int)IngestRejectCode.CrossedQuote);
        Assert.Equal(6, (int)IngestRejectCode.OutOfOrder);
        Assert.Equal(7, (int)IngestRejectCode.InvalidSymbol);
        Assert.Equal(8, (int)IngestRejectCode.BadSide);
    }

    private static Tick Make(string name)
    {
        var quote = new Tick { SymbolId = Aapl, Kind = TickKind.Quote, BidPrice = 18_950, AskPrice = 18_951, BidSize = 100, AskSize = 200, ExchangeTimeNs = 1_000 };
        var trade = new Tick { SymbolId = Aapl, Kind = TickKind.Trade, Price = 18_951, Size = 100, Side = TradeSide.Buy, ExchangeTimeNs = 1_000 };
        switch (name)
        {
            case "valid quote": return quote;
            case "valid trade": return trade;
            case "locked quote": quote.AskPrice = quote.BidPrice; return quote;
            case "unknown id": quote.SymbolId = TestData.Universe.Count; return quote;
            case "negative id": quote.SymbolId = -1; return quote;
            case "kind none": quote.Kind = TickKind.None; return quote;
            case "kind 7": quote.Kind = (TickKind)7; return quote;
            case "zero bid": quote.BidPrice = 0; return quote;
            case "negative ask": quote.AskPrice = -5; return quote;
            case "zero trade price": trade.Price = 0; return trade;
            case "negative bid size": quote.BidSize = -1; return quote;
            case "zero trade size": trade.Size = 0; return trade;
            case "crossed quote": quote.BidPrice = quote.AskPrice + 1; return quote;
            case "bad side": trade.Side = (TradeSide)3; return trade;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }
}
