namespace MarketStream.Protocol;

/// <summary><c>[25, serverTimeNs, queuedBytes, queuedUpdates, lagMs, mergedCount]</c> (docs/protocol.md §4.15).</summary>
/// <param name="ServerTimeNs">Server clock, Unix ns.</param>
/// <param name="QueuedBytes">Bytes waiting in this session's outbox.</param>
/// <param name="QueuedUpdates">Updates waiting in this session's outbox.</param>
/// <param name="LagMs">Age of the oldest unsent update, ms.</param>
/// <param name="MergedCount">Updates merged (conflated) for this session since it started.</param>
public sealed record HeartbeatMessage(long ServerTimeNs, long QueuedBytes, long QueuedUpdates, long LagMs, long MergedCount) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Heartbeat;
}
