namespace MarketStream.Core.Sessions;

/// <summary>Outcome of <see cref="SessionOutbox.Subscribe"/>.</summary>
public enum SubscribeStatus : byte
{
    /// <summary>Subscribed; a snapshot (or replay, or reset) comes before any update.</summary>
    Subscribed = 0,

    /// <summary>Already subscribed: the options were updated, the stream continues without a new snapshot.</summary>
    Updated = 1,

    /// <summary>No symbol with that id.</summary>
    UnknownSymbol = 2,

    /// <summary><see cref="OutboxOptions.MaxSubscriptions"/> reached.</summary>
    LimitReached = 3,

    /// <summary>The outbox is closed.</summary>
    Closed = 4,
}
