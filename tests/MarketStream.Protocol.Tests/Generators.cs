using CsCheck;
using MarketStream.Model;

namespace MarketStream.Protocol.Tests;

/// <summary>CsCheck generators for valid protocol messages, biased towards boundary values.</summary>
internal static class Generators
{
    private const string NameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/:^=";

    public static readonly Gen<long> Int64 = Gen.OneOf(
        Gen.Long,
        Gen.Long[-40, 300],
        Gen.OneOf<long>(long.MinValue, long.MaxValue, 0L, -1L, 127L, 128L, -32L, -33L, 255L, 256L, 65_535L, 65_536L,
            uint.MaxValue, (long)uint.MaxValue + 1, int.MinValue, (long)int.MinValue - 1, short.MinValue, sbyte.MinValue));

    public static readonly Gen<int> Int32 = Gen.OneOf(Gen.Int, Gen.Int[-40, 300], Gen.OneOf<int>(int.MinValue, int.MaxValue, 0, 65_536));

    public static readonly Gen<long> Positive = Gen.OneOf(Gen.Long[1, long.MaxValue], Gen.Long[1, 1000], Gen.Const(long.MaxValue));

    public static readonly Gen<string> Symbol = Gen.String[Gen.Char[NameChars], 1, SymbolInfo.MaxNameLength];

    public static readonly Gen<string> Pattern = Gen.OneOf(Symbol, Gen.String[Gen.Char[NameChars + "*"], 1, SymbolInfo.MaxNameLength]);

    public static readonly Gen<string> Text = Gen.String[0, 80];

    public static readonly Gen<Tick> Tick =
        from kind in Gen.OneOf(TickKind.Quote, TickKind.Trade)
        from id in Int32
        from epoch in Int64
        from seq in Int64
        from a in Int64
        from b in Int64
        from c in Int64
        from d in Int64
        from side in Gen.Enum<TradeSide>()
        from conditions in Gen.UShort
        from ts in Int64.Array[3]
        select kind == TickKind.Quote
            ? new Tick { Kind = kind, SymbolId = id, Epoch = epoch, Seq = seq, BidPrice = a, BidSize = b, AskPrice = c, AskSize = d, ExchangeTimeNs = ts[0], ReceiveTimeNs = ts[1], ServerTimeNs = ts[2] }
            : new Tick { Kind = kind, SymbolId = id, Epoch = epoch, Seq = seq, Price = a, Size = b, Side = side, Conditions = conditions, ExchangeTimeNs = ts[0], ReceiveTimeNs = ts[1], ServerTimeNs = ts[2] };

    public static readonly Gen<MergedUpdate> Merged =
        from id in Int32
        from count in Int32
        from tradeCount in Gen.OneOf(Gen.Const(0), Gen.Int[1, int.MaxValue])
        from hasQuote in Gen.Bool
        from side in Gen.Enum<TradeSide>()
        from v in Int64.Array[14]
        select new MergedUpdate
        {
            SymbolId = id, Epoch = v[0], FirstSeq = v[1], LastSeq = v[2], Count = count,
            HasQuote = hasQuote,
            BidPrice = hasQuote ? v[3] : 0, BidSize = hasQuote ? v[4] : 0, AskPrice = hasQuote ? v[5] : 0, AskSize = hasQuote ? v[6] : 0,
            TradeCount = tradeCount,
            LastPrice = tradeCount > 0 ? v[7] : 0, LastSize = tradeCount > 0 ? v[8] : 0, LastSide = tradeCount > 0 ? side : TradeSide.Unknown,
            Volume = tradeCount > 0 ? v[9] : 0, High = tradeCount > 0 ? v[10] : 0, Low = tradeCount > 0 ? v[11] : 0,
            ExchangeTimeNs = v[12], ReceiveTimeNs = v[13], ServerTimeNs = v[0] ^ v[13],
        };

    public static readonly Gen<SymbolInfo> Definition =
        from id in Int32
        from name in Symbol
        from ps in Gen.Byte[0, SymbolInfo.MaxScale]
        from ss in Gen.Byte[0, SymbolInfo.MaxScale]
        from currency in Gen.String[0, 5]
        from venue in Gen.String[0, 8]
        select new SymbolInfo(id, name, ps, ss, currency, venue);

    public static readonly Gen<SymbolSnapshot> Snapshot =
        from hasQuote in Gen.Bool
        from hasTrade in Gen.Bool
        from side in Gen.Enum<TradeSide>()
        from v in Int64.Array[15]
        select new SymbolSnapshot
        {
            Epoch = v[0], Seq = v[1], HasQuote = hasQuote,
            BidPrice = hasQuote ? v[2] : 0, BidSize = hasQuote ? v[3] : 0, AskPrice = hasQuote ? v[4] : 0, AskSize = hasQuote ? v[5] : 0,
            HasTrade = hasTrade,
            LastPrice = hasTrade ? v[6] : 0, LastSize = hasTrade ? v[7] : 0, LastSide = hasTrade ? side : TradeSide.Unknown,
            Open = hasTrade ? v[8] : 0, High = hasTrade ? v[9] : 0, Low = hasTrade ? v[10] : 0, Volume = hasTrade ? v[11] : 0, TradeCount = hasTrade ? v[12] : 0,
            ExchangeTimeNs = v[13], ServerTimeNs = v[14],
        };

    public static readonly Gen<ClientMessage> ClientMessage = Gen.OneOf<ClientMessage>(
        from id in Positive from token in Gen.String[Gen.Char["abcXYZ0123456789.-_"], 1, 300] select (ClientMessage)new AuthenticateRequest(id, token),
        from id in Positive
        from symbols in Pattern.Array[1, 20]
        from mode in Gen.OneOf(SubscriptionMode.Conflated, SubscriptionMode.Full)
        from rate in Gen.Int[0, SubscriptionLimits.MaxIntervalMs]
        from lag in Gen.Int[0, SubscriptionLimits.MaxIntervalMs]
        from resume in (from s in Symbol from e in Gen.Long[0, long.MaxValue] from q in Gen.Long[0, long.MaxValue] select new ResumePosition(s, e, q)).Array[0, 5]
        select (ClientMessage)new SubscribeRequest(id, symbols, mode, rate, lag, resume),
        from id in Positive from sub in Positive select (ClientMessage)new UnsubscribeRequest(id, sub),
        from id in Positive from s in Symbol select (ClientMessage)new SnapshotRequest(id, s),
        from id in Positive from t in Int64 select (ClientMessage)new PingRequest(id, t),
        from id in Positive
        from ticks in (from s in Symbol from t in Tick select new IngestTick(s, StripForIngest(t))).Array[0, 10]
        select (ClientMessage)new IngestTicksRequest(id, ticks));

    public static readonly Gen<ServerMessageBody> ServerBody = Gen.OneOf<ServerMessageBody>(
        from v in Gen.Int[0, int.MaxValue].Array[7] from s in Gen.String[0, 20] from t in Int64
        select (ServerMessageBody)new WelcomeMessage(v[0], s, t, v[1], v[2], v[3], v[4], v[5], v[6]),
        from id in Int64 from s in Text from e in Int64 select (ServerMessageBody)new AuthenticatedMessage(id, s, e),
        from id in Int64 from mode in Gen.OneOf(SubscriptionMode.Conflated, SubscriptionMode.Full) from defs in Definition.Array[0, 20]
        select (ServerMessageBody)new SubscribeAckMessage(id, mode, defs),
        from id in Int64 from sub in Int64 select (ServerMessageBody)new UnsubscribeAckMessage(id, sub),
        from id in Int64 from def in Definition from s in Snapshot select (ServerMessageBody)new SnapshotMessage(id, def, s with { SymbolId = def.Id }),
        from id in Int64 from reason in Int32 from def in Definition from s in Snapshot
        select (ServerMessageBody)new ResetMessage(id, (ResetReason)reason, def, s with { SymbolId = def.Id }),
        from v in Int64.Array[5] select (ServerMessageBody)new HeartbeatMessage(v[0], v[1], v[2], v[3], v[4]),
        from code in Int32 from sub in Int64 from value in Int64 from text in Text select (ServerMessageBody)new NoticeMessage((NoticeCode)code, sub, value, text),
        from v in Int64.Array[3] select (ServerMessageBody)new PongMessage(v[0], v[1], v[2]),
        from id in Int64 from code in Int32 from text in Text select (ServerMessageBody)new ErrorMessage(id, (ErrorCode)code, text),
        from id in Int64 from n in Gen.Int[0, int.MaxValue]
        from rejects in (from index in Gen.Int[0, int.MaxValue] from code in Gen.Byte select new IngestReject(index, (IngestRejectCode)code)).Array[0, 20]
        select (ServerMessageBody)new IngestAckMessage(id, n, rejects));

    /// <summary>Ingest carries only kind, exchange time and the kind's four fields (§4.17).</summary>
    public static Tick StripForIngest(Tick t) => t.Kind == TickKind.Trade
        ? new Tick { Kind = t.Kind, ExchangeTimeNs = t.ExchangeTimeNs, Price = t.Price, Size = t.Size, Side = t.Side, Conditions = t.Conditions }
        : new Tick { Kind = t.Kind, ExchangeTimeNs = t.ExchangeTimeNs, BidPrice = t.BidPrice, BidSize = t.BidSize, AskPrice = t.AskPrice, AskSize = t.AskSize };
}
