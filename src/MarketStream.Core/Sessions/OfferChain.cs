namespace MarketStream.Core.Sessions;

/// <summary>
/// The offers fan-out has collected for one outbox since its last flush, as a linked chain through
/// fan-out's staging array (<see cref="StagedOffer.Next"/>), in offer order. Touched by the fan-out
/// thread only, and a separate small object so those writes never share a cache line with the
/// outbox's gate, which the session's writer loop takes.
/// </summary>
internal sealed class OfferChain(SessionOutbox outbox)
{
    public SessionOutbox Outbox { get; } = outbox;

    /// <summary>Index of the first staged offer, or -1 when nothing is staged for this outbox.</summary>
    public int First = -1;

    /// <summary>Index of the last staged offer (valid while <see cref="First"/> ≥ 0).</summary>
    public int Last = -1;
}
