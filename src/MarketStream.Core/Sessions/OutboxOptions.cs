namespace MarketStream.Core.Sessions;

/// <summary>Limits of one session outbox.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Full-mode updates a session may have queued (all its full subscriptions together), 1–1,048,576.
    /// Defaults to 1,024. Keep it at or below <see cref="Engine.EngineOptions.HistoryDepth"/>: the queue
    /// holds references into history, and an entry the history has already overwritten turns into a reset.
    /// </summary>
    public int FullQueueCapacity { get; set; } = 1024;

    /// <summary>Symbols one session may be subscribed to at once, 1–1,048,576. Defaults to 10,000.</summary>
    public int MaxSubscriptions { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (FullQueueCapacity < 1 || FullQueueCapacity > 1 << 20)
        {
            throw new ArgumentException($"OutboxOptions.FullQueueCapacity must be 1–1,048,576; got {FullQueueCapacity}.");
        }

        if (MaxSubscriptions < 1 || MaxSubscriptions > 1 << 20)
        {
            throw new ArgumentException($"OutboxOptions.MaxSubscriptions must be 1–1,048,576; got {MaxSubscriptions}.");
        }
    }
}
