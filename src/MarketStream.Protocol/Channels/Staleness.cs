namespace MarketStream.Protocol;

/// <summary>Whether a symbol's data is current, in the Status message (docs/protocol.md §4.27).</summary>
public enum Staleness : byte
{
    /// <summary>The symbol's feed is live: values are current.</summary>
    Live = 0,

    /// <summary>The symbol's feed has been silent past the server's threshold.</summary>
    Silent = 1,

    /// <summary>The symbol's feed is faulted or stalled.</summary>
    FeedDown = 2,
}
