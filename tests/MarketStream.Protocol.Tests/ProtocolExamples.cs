using MarketStream.Model;


namespace MarketStream.Protocol.Tests;

/// <summary>
/// The example of every message type shown in docs/protocol.md. ProtocolDocTests checks that the doc
/// shows exactly these bytes and that each decodes and re-encodes byte for byte; set
/// MARKETSTREAM_UPDATE_DOCS=1 to rewrite the doc's example blocks from here.
/// </summary>
internal static class ProtocolExamples
{
    public const long T0 = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z in Unix ns

    public static readonly SymbolInfo EurUsd = new(7, "EURUSD", 5, 0, "USD", "SYN");
    public static readonly SymbolInfo Aapl = new(3, "AAPL", 4, 0, "USD", "XNAS");

    public static Tick QuoteTick => new()
    {
        SymbolId = 7, Kind = TickKind.Quote, Epoch = 1, Seq = 1042,
        BidPrice = 108_431, BidSize = 1_000_000, AskPrice = 108_433, AskSize = 2_000_000,
        ExchangeTimeNs = T0 + 1_000, ReceiveTimeNs = T0 + 21_000, ServerTimeNs = T0 + 25_000,
    };

    public static Tick TradeTick => new()
    {
        SymbolId = 3, Kind = TickKind.Trade, Epoch = 1, Seq = 77,
        Price = 2_301_250, Size = 100, Side = TradeSide.Buy, Conditions = 0,
        ExchangeTimeNs = T0 + 2_000, ReceiveTimeNs = T0 + 30_000, ServerTimeNs = T0 + 34_000,
    };

    public static MergedUpdate Merged => new()
    {
        SymbolId = 3, Epoch = 1, FirstSeq = 78, LastSeq = 85, Count = 8,
        HasQuote = true, BidPrice = 2_301_200, BidSize = 300, AskPrice = 2_301_300, AskSize = 500,
        TradeCount = 3, LastPrice = 2_301_300, LastSize = 50, LastSide = TradeSide.Sell, Volume = 250,
        High = 2_301_400, Low = 2_301_100,
        ExchangeTimeNs = T0 + 9_000, ReceiveTimeNs = T0 + 40_000, ServerTimeNs = T0 + 44_000,
    };

    public static SymbolSnapshot AaplState => new()
    {
        SymbolId = 3, Epoch = 1, Seq = 76,
        HasQuote = true, BidPrice = 2_301_200, BidSize = 300, AskPrice = 2_301_300, AskSize = 500,
        HasTrade = true, LastPrice = 2_301_250, LastSize = 100, LastSide = TradeSide.Buy,
        Open = 2_290_000, High = 2_310_000, Low = 2_285_000, Volume = 1_250_000, TradeCount = 8_812,
        ExchangeTimeNs = T0 + 1_500, ServerTimeNs = T0 + 33_000,
    };

    public static SymbolSnapshot EurUsdFresh => new()
    {
        SymbolId = 7, Epoch = 2, Seq = 0,
        HasQuote = true, BidPrice = 108_431, BidSize = 1_000_000, AskPrice = 108_433, AskSize = 2_000_000,
        ExchangeTimeNs = T0 + 1_000, ServerTimeNs = T0 + 50_000,
    };

    /// <summary>(name in the doc, bytes). Order is the doc's order.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> All { get; } = Build();

    private static List<(string, byte[])> Build()
    {
        var list = new List<(string, byte[])>
        {
            ("authenticate", Wire.Encode(new AuthenticateRequest(1, "eyJhbGciOiJIUzI1NiJ9.e30.sig"))),
            ("subscribe", Wire.Encode(new SubscribeRequest(2, ["EURUSD", "AAPL"], SubscriptionMode.Conflated, 0, 0, []))),
            ("subscribe-resume", Wire.Encode(new SubscribeRequest(3, ["EUR*"], SubscriptionMode.Full, 100, 2000, [new ResumePosition("EURUSD", 1, 1042)]))),
            ("unsubscribe", Wire.Encode(new UnsubscribeRequest(4, 2))),
            ("snapshot-request", Wire.Encode(new SnapshotRequest(5, "AAPL"))),
            ("ping", Wire.Encode(new PingRequest(6, 123_456_789))),
            ("ingest-ticks", Wire.Encode(new IngestTicksRequest(7,
            [
                new IngestTick("EURUSD", new Tick { Kind = TickKind.Quote, ExchangeTimeNs = T0, BidPrice = 108_431, BidSize = 1_000_000, AskPrice = 108_433, AskSize = 2_000_000 }),
                new IngestTick("AAPL", new Tick { Kind = TickKind.Trade, ExchangeTimeNs = T0, Price = 2_301_250, Size = 100, Side = TradeSide.Buy }),
            ]))),
            ("welcome", Wire.Encode(new WelcomeMessage(1, "s-5f3a", T0, 0, 65_536, 64, 100, 262_144, 5_000))),
            ("authenticated", Wire.Encode(new AuthenticatedMessage(1, "alice", T0 + 3_600_000_000_000))),
            ("subscribe-ack", Wire.Encode(new SubscribeAckMessage(2, SubscriptionMode.Conflated, [EurUsd, Aapl]))),
            ("unsubscribe-ack", Wire.Encode(new UnsubscribeAckMessage(4, 2))),
            ("snapshot", Wire.Encode(new SnapshotMessage(2, Aapl, AaplState))),
            ("update-quote", Encode(QuoteTick)),
            ("update-trade", Encode(TradeTick)),
            ("merged", EncodeMerged(Merged)),
            ("reset", Wire.Encode(new ResetMessage(3, ResetReason.HistoryUnavailable, EurUsd, EurUsdFresh))),
            ("batch", BuildBatch()),
            ("batch-empty", new BatchWriter(BatchWriter.MinimumCapacity).Complete().ToArray()),
            ("heartbeat", Wire.Encode(new HeartbeatMessage(T0, 4_096, 12, 35, 1_200))),
            ("notice", Wire.Encode(new NoticeMessage(NoticeCode.DegradedToConflated, 3, 0, "full-mode queue overflowed; subscription is now conflated"))),
            ("pong", Wire.Encode(new PongMessage(6, 123_456_789, T0))),
            ("error", Wire.Encode(new ErrorMessage(5, ErrorCode.NotSubscribed, "not subscribed to AAPL"))),
            ("ingest-ack", Wire.Encode(new IngestAckMessage(7, 2))),
            ("ingest-ack-rejects", Wire.Encode(new IngestAckMessage(8, 2, [new(1, IngestRejectCode.UnknownSymbol), new(3, IngestRejectCode.OutOfOrder), new(4, IngestRejectCode.NonPositivePrice)]))),
        };
        list.AddRange(ChannelExamples.Build());
        return list;
    }

    private static byte[] Encode(in Tick tick)
    {
        var buffer = new byte[MessagePackUpdateEncoder.Instance.MaxUpdateLength];
        return buffer.AsSpan(0, MessagePackUpdateEncoder.Instance.EncodeUpdate(tick, buffer)).ToArray();
    }

    private static byte[] EncodeMerged(in MergedUpdate merged)
    {
        var buffer = new byte[MessagePackUpdateEncoder.Instance.MaxUpdateLength];
        return buffer.AsSpan(0, MessagePackUpdateEncoder.Instance.EncodeMerged(merged, buffer)).ToArray();
    }

    private static byte[] BuildBatch()
    {
        var batch = new BatchWriter(4096);
        Assert.True(batch.TryAppendSnapshot(2, EurUsd, new SymbolSnapshot
        {
            SymbolId = 7, Epoch = 1, Seq = 1041, HasQuote = true,
            BidPrice = 108_430, BidSize = 1_000_000, AskPrice = 108_432, AskSize = 1_000_000,
            ExchangeTimeNs = T0, ServerTimeNs = T0 + 24_000,
        }));
        Assert.True(batch.TryAppendUpdate(QuoteTick));
        return batch.Complete().ToArray();
    }
}
