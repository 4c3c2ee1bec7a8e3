namespace MarketStream.Core.Sessions;

/// <summary>
/// Fan-out's note that an outbox's writer loop needs waking at the end of the current ring batch.
/// Touched by the fan-out thread only, and a separate small object so those writes never share a
/// cache line with the outbox's gate, which the session's writer loop takes.
/// </summary>
internal sealed class DeferredWake(SessionOutbox outbox)
{
    public SessionOutbox Outbox { get; } = outbox;

    /// <summary>Already in fan-out's list of outboxes to wake.</summary>
    public bool Pending;
}
