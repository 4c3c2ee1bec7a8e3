using MarketStream.Model;


namespace MarketStream.Core.Engine;

/// <summary>The conflation and last-value-cache arithmetic, in one place so every path agrees.</summary>
internal static class TickFolding
{
    /// <summary>Folds a sequenced tick into a merged update; a merged update with Count 0 is empty and starts afresh.</summary>
    public static void Fold(ref MergedUpdate merged, in Tick tick)
    {
        if (merged.Count == 0)
        {
            merged = default;
            merged.SymbolId = tick.SymbolId;
            merged.Epoch = tick.Epoch;
            merged.FirstSeq = tick.Seq;
        }

        merged.LastSeq = tick.Seq;
        merged.Count++;
        merged.ExchangeTimeNs = tick.ExchangeTimeNs;
        merged.ReceiveTimeNs = tick.ReceiveTimeNs;
        merged.ServerTimeNs = tick.ServerTimeNs;
        if (tick.Kind == TickKind.Quote)
        {
            // Quotes replace: only the latest book matters to a conflated client.
            merged.HasQuote = true;
            merged.BidPrice = tick.BidPrice;
            merged.BidSize = tick.BidSize;
            merged.AskPrice = tick.AskPrice;
            merged.AskSize = tick.AskSize;
        }
        else
        {
            // Trades aggregate, so volume and range survive conflation.
            if (merged.TradeCount == 0)
            {
                merged.High = tick.Price;
                merged.Low = tick.Price;
            }
            else
            {
                merged.High = Math.Max(merged.High, tick.Price);
                merged.Low = Math.Min(merged.Low, tick.Price);
            }

            merged.TradeCount++;
            merged.LastPrice = tick.Price;
            merged.LastSize = tick.Size;
            merged.LastSide = tick.Side;
            merged.Volume += tick.Size;
        }
    }

    /// <summary>Applies a sequenced tick to the last-value cache.</summary>
    public static void Apply(ref SymbolSnapshot snapshot, in Tick tick)
    {
        snapshot.Epoch = tick.Epoch;
        snapshot.Seq = tick.Seq;
        snapshot.ExchangeTimeNs = tick.ExchangeTimeNs;
        snapshot.ServerTimeNs = tick.ServerTimeNs;
        if (tick.Kind == TickKind.Quote)
        {
            snapshot.HasQuote = true;
            snapshot.BidPrice = tick.BidPrice;
            snapshot.BidSize = tick.BidSize;
            snapshot.AskPrice = tick.AskPrice;
            snapshot.AskSize = tick.AskSize;
            return;
        }

        if (!snapshot.HasTrade)
        {
            snapshot.HasTrade = true;
            snapshot.Open = tick.Price;
            snapshot.High = tick.Price;
            snapshot.Low = tick.Price;
        }
        else
        {
            snapshot.High = Math.Max(snapshot.High, tick.Price);
            snapshot.Low = Math.Min(snapshot.Low, tick.Price);
        }

        snapshot.LastPrice = tick.Price;
        snapshot.LastSize = tick.Size;
        snapshot.LastSide = tick.Side;
        snapshot.Volume += tick.Size;
        snapshot.TradeCount++;
    }
}
