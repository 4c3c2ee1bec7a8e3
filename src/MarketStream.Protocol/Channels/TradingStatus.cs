namespace MarketStream.Protocol;

/// <summary>Trading phase of a symbol in the Status message (docs/protocol.md §4.27).</summary>
public enum TradingStatus : byte
{
    /// <summary>Not known (no status from the feed yet).</summary>
    Unknown = 0,

    /// <summary>Before the session opens; quotes may move, no regular trading.</summary>
    PreOpen = 1,

    /// <summary>Regular trading.</summary>
    Open = 2,

    /// <summary>Trading halted; see the halt reason.</summary>
    Halted = 3,

    /// <summary>The session has closed.</summary>
    Closed = 4,
}
