namespace MarketStream.Core.Sessions;

/// <summary>Why the outbox tells the client something besides data (docs/protocol.md maps each to a message).</summary>
public enum OutboxNoticeKind : byte
{
    /// <summary>A full-mode subscription overflowed the session queue and is conflated from now on.</summary>
    DegradedToConflated = 1,

    /// <summary>A full-mode subscription fell behind its max lag; the range FirstSeq..LastSeq was sent merged.</summary>
    LagCatchUp = 2,

    /// <summary>The session's full-mode queue is at least three quarters full and a close-on-overflow subscription would close the session.</summary>
    SlowConsumerWarning = 3,
}
