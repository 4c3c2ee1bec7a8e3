namespace MarketStream.Core.Sessions;

/// <summary>What a full-mode subscription does when its session's queue is full.</summary>
public enum OverflowPolicy : byte
{
    /// <summary>The subscription switches to conflated delivery and the client gets a <see cref="OutboxNoticeKind.DegradedToConflated"/> notice. The default.</summary>
    Degrade = 0,

    /// <summary>The session is closed as a slow consumer, after a <see cref="OutboxNoticeKind.SlowConsumerWarning"/> notice.</summary>
    Close = 1,
}
