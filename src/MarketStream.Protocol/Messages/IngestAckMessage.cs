namespace MarketStream.Protocol;

/// <summary><c>[29, requestId, accepted]</c> (docs/protocol.md §4.20).</summary>
/// <param name="RequestId">Echoed request id.</param>
/// <param name="Accepted">Ticks accepted into the ring.</param>
public sealed record IngestAckMessage(long RequestId, int Accepted) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.IngestAck;
}
