namespace MarketStream.Protocol;

/// <summary>Delivery discipline of a subscription (docs/protocol.md §4.2).</summary>
public enum SubscriptionMode : byte
{
    /// <summary>Latest value per symbol; slow readers receive Merged updates. The default.</summary>
    Conflated = 0,

    /// <summary>Every update, from a bounded queue; on overflow the server degrades to conflated or closes.</summary>
    Full = 1,
}
