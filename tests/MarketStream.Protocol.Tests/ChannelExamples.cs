using MarketStream.Model;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// The channel examples of docs/protocol.md (§4.2, §4.4, §4.11, §4.21–§4.28), in the doc's order, and the book
/// of the checksum worked example (§4.24). Part of <see cref="ProtocolExamples.All"/>.
/// </summary>
internal static class ChannelExamples
{
    private const long T0 = ProtocolExamples.T0;

    /// <summary>The book of the BookSnapshot example and of the checksum worked example.</summary>
    public static readonly BookLevel[] Bids = [new(2_301_200, 300, 2), new(2_301_100, 500, 4), new(2_301_000, 1_200, 7)];

    /// <inheritdoc cref="Bids"/>
    public static readonly BookLevel[] Asks = [new(2_301_300, 500, 3), new(2_301_400, 200, 1), new(2_301_500, 900, 5)];

    /// <summary>The book after the BookChange example: the best bid deleted.</summary>
    public static readonly BookLevel[] BidsAfterChange = [new(2_301_100, 500, 4), new(2_301_000, 1_200, 7)];

    /// <summary>The book after the BookMerged example.</summary>
    public static readonly BookLevel[] BidsAfterMerge = [new(2_301_150, 200, 1), new(2_301_100, 500, 4), new(2_301_000, 1_500, 8)];

    /// <inheritdoc cref="BidsAfterMerge"/>
    public static readonly BookLevel[] AsksAfterMerge = [new(2_301_300, 500, 3), new(2_301_400, 100, 1), new(2_301_500, 900, 5)];

    public static readonly BookLevelChange[] Change = [new(BookSide.Bid, 2_301_200, 0, 0)];

    public static readonly BookLevelChange[] Merge =
    [
        new(BookSide.Bid, 2_301_150, 200, 1),
        new(BookSide.Bid, 2_301_000, 1_500, 8),
        new(BookSide.Ask, 2_301_400, 100, 1),
    ];

    private static readonly ChannelRequest[] Everything =
    [
        ChannelRequest.Quotes, ChannelRequest.Trades(50), ChannelRequest.Book(10), ChannelRequest.Bars(60, 100),
        ChannelRequest.Statistics, ChannelRequest.Status,
    ];

    public static Bar OpenBar => new()
    {
        SymbolId = 3, Epoch = 1, Seq = 812, Count = 1, IntervalSeconds = 60, StartTimeNs = T0,
        Open = 2_301_000, High = 2_301_500, Low = 2_300_900, Close = 2_301_250, Volume = 12_500, TradeCount = 37, Vwap = 2_301_190,
    };

    public static Bar ClosedBar => new()
    {
        SymbolId = 3, Epoch = 1, Seq = 790, Count = 0, IntervalSeconds = 60, StartTimeNs = T0 - 60_000_000_000,
        Open = 2_300_500, High = 2_301_100, Low = 2_300_400, Close = 2_301_000, Volume = 30_100, TradeCount = 88, Vwap = 2_300_777, Final = true,
    };

    public static SessionStatistics Statistics => new()
    {
        SymbolId = 3, Epoch = 1, Seq = 95, Count = 3, SessionDate = 20_260_101,
        Open = 2_290_000, High = 2_310_000, Low = 2_285_000, Last = 2_301_250, Volume = 1_250_000, Vwap = 2_298_811,
        TradeCount = 8_812, PreviousClose = 2_288_000, Change = 13_250, ServerTimeNs = T0 + 34_000,
    };

    public static SymbolStatus Halted => new()
    {
        SymbolId = 3, Epoch = 1, Seq = 4, Count = 1, Status = TradingStatus.Halted, HaltReason = HaltReason.Volatility,
        Stale = Staleness.Live, SinceNs = T0 + 30_000, ServerTimeNs = T0 + 30_000,
    };

    public static IEnumerable<(string, byte[])> Build()
    {
        yield return ("subscribe-channels", Wire.Encode(new SubscribeRequest(9, ["AAPL"], SubscriptionMode.Conflated, 0, 0, []) { Channels = Everything }));
        yield return ("subscribe-resume-book", Wire.Encode(new SubscribeRequest(10, ["AAPL"], SubscriptionMode.Conflated, 0, 0,
        [
            new ResumePosition("AAPL", 1, 76),
            new ResumePosition("AAPL", 1, 5_210) { Channel = ChannelKind.Book },
        ])
        { Channels = [ChannelRequest.Quotes, ChannelRequest.Trades(), ChannelRequest.Book(10)] }));
        yield return ("subscribe-replay", Wire.Encode(new SubscribeRequest(11, ["AAPL"], SubscriptionMode.Full, 0, 0, [])
        {
            Channels = [ChannelRequest.Trades(), ChannelRequest.Book(10)],
            Replay = new ReplayStart(T0),
        }));
        yield return ("snapshot-request-book", Wire.Encode(new SnapshotRequest(12, "AAPL") { Channel = ChannelKind.Book }));
        yield return ("subscribe-ack-channels", Wire.Encode(new SubscribeAckMessage(9, SubscriptionMode.Conflated, [ProtocolExamples.Aapl]) { Channels = Everything }));
        yield return ("book-snapshot", Wire.Encode(new BookSnapshotMessage(9, default, 3, 1, 5_210, 10, Bids, Asks,
            BookChecksum.Compute(Bids, Asks), T0 + 1_500, T0 + 33_000)));
        yield return ("book-change", Wire.Encode(new BookChangeMessage(3, 1, 5_211, Change,
            BookChecksum.Compute(BidsAfterChange, Asks), T0 + 2_000, T0 + 35_000)));
        yield return ("book-merged", Wire.Encode(new BookMergedMessage(3, 1, 5_212, 5_215, 4, Merge,
            BookChecksum.Compute(BidsAfterMerge, AsksAfterMerge), T0 + 9_000, T0 + 44_000)));
        yield return ("bar", Wire.Encode(new BarMessage(OpenBar)));
        yield return ("bar-history", Wire.Encode(new BarMessage(ClosedBar)));
        yield return ("statistics", Wire.Encode(new StatisticsMessage(Statistics)));
        yield return ("status", Wire.Encode(new StatusMessage(Halted)));
        yield return ("replay-complete", Wire.Encode(new ReplayCompleteMessage(11, 3, 48_211, T0 + 90_000_000)));
    }
}
