namespace MarketStream.Core.Sessions;

/// <summary>How a subscription's updates are delivered (docs/protocol.md, subscribe).</summary>
public enum DeliveryMode : byte
{
    /// <summary>Latest state per symbol; updates that pile up while the client is busy are merged. The default.</summary>
    Conflated = 0,

    /// <summary>Every update, through a bounded queue; see <see cref="OverflowPolicy"/> for what happens when it fills.</summary>
    Full = 1,
}
