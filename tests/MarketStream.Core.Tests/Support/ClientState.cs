using MarketStream.Model;


namespace MarketStream.Core.Tests.Support;

/// <summary>What a client reconstructs for one symbol from snapshots, updates and merged updates.</summary>
internal sealed record ClientState
{
    public long Epoch { get; set; }

    public long Seq { get; set; }

    public long Bid { get; set; }

    public long Ask { get; set; }

    public long BidSize { get; set; }

    public long AskSize { get; set; }

    public long LastPrice { get; set; }

    public long LastSize { get; set; }

    public long High { get; set; }

    public long Low { get; set; }

    public long Volume { get; set; }

    public long TradeCount { get; set; }

    public static ClientState FromFeed(IEnumerable<Tick> ticks)
    {
        var state = new ClientState();
        foreach (var tick in ticks)
        {
            state.Apply(tick);
        }

        return state;
    }

    public void Apply(Delivered item)
    {
        switch (item.Kind)
        {
            case DeliveredKind.Snapshot:
            case DeliveredKind.Reset:
                var s = item.Snapshot;
                (Epoch, Seq, Bid, Ask, BidSize, AskSize) = (s.Epoch, s.Seq, s.BidPrice, s.AskPrice, s.BidSize, s.AskSize);
                (LastPrice, LastSize, High, Low, Volume, TradeCount) = (s.LastPrice, s.LastSize, s.High, s.Low, s.Volume, s.TradeCount);
                break;
            case DeliveredKind.Update:
                Apply(item.Tick);
                break;
            case DeliveredKind.Merged:
                var m = item.Merged;
                Epoch = m.Epoch;
                Seq = m.LastSeq;
                if (m.HasQuote)
                {
                    (Bid, Ask, BidSize, AskSize) = (m.BidPrice, m.AskPrice, m.BidSize, m.AskSize);
                }

                if (m.TradeCount > 0)
                {
                    High = TradeCount == 0 ? m.High : Math.Max(High, m.High);
                    Low = TradeCount == 0 ? m.Low : Math.Min(Low, m.Low);
                    TradeCount += m.TradeCount;
                    Volume += m.Volume;
                    (LastPrice, LastSize) = (m.LastPrice, m.LastSize);
                }

                break;
        }
    }

    private void Apply(Tick tick)
    {
        Epoch = tick.Epoch;
        Seq = tick.Seq;
        if (tick.Kind == TickKind.Quote)
        {
            (Bid, Ask, BidSize, AskSize) = (tick.BidPrice, tick.AskPrice, tick.BidSize, tick.AskSize);
            return;
        }

        High = TradeCount == 0 ? tick.Price : Math.Max(High, tick.Price);
        Low = TradeCount == 0 ? tick.Price : Math.Min(Low, tick.Price);
        TradeCount++;
        Volume += tick.Size;
        (LastPrice, LastSize) = (tick.Price, tick.Size);
    }
}
