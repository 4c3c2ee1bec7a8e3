using MarketStream.Model;


namespace MarketStream.Client.Internal;

/// <summary>Applies updates and merged updates to a book entry (docs/protocol.md §4.6, §4.7, §4.13).</summary>
internal static class BookUpdate
{
    public static void Apply(ref SymbolSnapshot state, in Tick update)
    {
        SetPosition(ref state, update.Epoch, update.Seq, update.ExchangeTimeNs, update.ServerTimeNs);
        if (update.Kind == TickKind.Quote)
        {
            SetQuote(ref state, update.BidPrice, update.BidSize, update.AskPrice, update.AskSize);
        }
        else
        {
            AddTrades(ref state, 1, update.Price, update.Size, update.Side, update.Size, update.Price, update.Price);
        }
    }

    public static void Apply(ref SymbolSnapshot state, in MergedUpdate merged)
    {
        SetPosition(ref state, merged.Epoch, merged.LastSeq, merged.ExchangeTimeNs, merged.ServerTimeNs);
        if (merged.HasQuote)
        {
            SetQuote(ref state, merged.BidPrice, merged.BidSize, merged.AskPrice, merged.AskSize);
        }

        if (merged.TradeCount > 0)
        {
            AddTrades(ref state, merged.TradeCount, merged.LastPrice, merged.LastSize, merged.LastSide, merged.Volume, merged.High, merged.Low);
        }
    }

    private static void SetPosition(ref SymbolSnapshot state, long epoch, long seq, long exchangeTimeNs, long serverTimeNs)
    {
        state.Epoch = epoch;
        state.Seq = seq;
        state.ExchangeTimeNs = exchangeTimeNs;
        state.ServerTimeNs = serverTimeNs;
    }

    private static void SetQuote(ref SymbolSnapshot state, long bidPrice, long bidSize, long askPrice, long askSize)
    {
        state.HasQuote = true;
        state.BidPrice = bidPrice;
        state.BidSize = bidSize;
        state.AskPrice = askPrice;
        state.AskSize = askSize;
    }

    // Session figures: the first trade seen opens the session; merged trades widen high/low and add volume.
    private static void AddTrades(ref SymbolSnapshot state, int trades, long lastPrice, long lastSize, TradeSide lastSide, long volume, long high, long low)
    {
        if (state.HasTrade)
        {
            state.High = Math.Max(state.High, high);
            state.Low = Math.Min(state.Low, low);
        }
        else
        {
            state.HasTrade = true;
            state.Open = lastPrice;
            state.High = high;
            state.Low = low;
        }

        state.LastPrice = lastPrice;
        state.LastSize = lastSize;
        state.LastSide = lastSide;
        state.Volume += volume;
        state.TradeCount += trades;
    }
}
