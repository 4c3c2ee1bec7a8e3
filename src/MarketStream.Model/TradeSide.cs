namespace MarketStream.Model;

/// <summary>Aggressor side of a trade, where the venue reports it. Wire values are fixed by docs/protocol.md.</summary>
public enum TradeSide : byte
{
    /// <summary>The venue did not say.</summary>
    Unknown = 0,

    /// <summary>The buyer lifted the offer.</summary>
    Buy = 1,

    /// <summary>The seller hit the bid.</summary>
    Sell = 2,
}
