namespace MarketStream.Core.Sessions;

/// <summary>One update fan-out will offer to one subscription at its next flush.</summary>
internal struct StagedOffer
{
    public Subscription Subscription;

    /// <summary>Index of the tick in fan-out's staged-tick array.</summary>
    public int TickIndex;

    /// <summary>Next offer for the same outbox, or -1.</summary>
    public int Next;
}
