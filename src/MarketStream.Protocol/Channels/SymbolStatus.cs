namespace MarketStream.Protocol;

/// <summary>A symbol's trading status and stale flag, as the Status message carries them (docs/protocol.md §4.27).</summary>
public struct SymbolStatus
{
    /// <summary>Symbol id on this connection.</summary>
    public int SymbolId;

    /// <summary>Epoch of the status stream.</summary>
    public long Epoch;

    /// <summary>Sequence of the last status update included.</summary>
    public long Seq;

    /// <summary>Stream updates this message stands for; 0 = a value from state (§2.5).</summary>
    public int Count;

    /// <summary>Trading phase.</summary>
    public TradingStatus Status;

    /// <summary>Why halted; <see cref="HaltReason.None"/> unless <see cref="Status"/> is halted.</summary>
    public HaltReason HaltReason;

    /// <summary>Whether the data is current; anything but <see cref="Staleness.Live"/> means do not present it as live.</summary>
    public Staleness Stale;

    /// <summary>Server time since which status and stale flag have had these values, Unix ns.</summary>
    public long SinceNs;

    /// <summary>Server time of this message's last update, Unix ns.</summary>
    public long ServerTimeNs;
}
