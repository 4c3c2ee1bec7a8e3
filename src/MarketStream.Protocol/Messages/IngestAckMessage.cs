namespace MarketStream.Protocol;

/// <summary><c>[29, requestId, accepted, rejected]</c> (docs/protocol.md §4.20).</summary>
/// <param name="RequestId">Echoed request id.</param>
/// <param name="Accepted">Ticks accepted into the ring.</param>
/// <param name="Rejected">Every refused tick of the message, by ascending index, with its code; empty when all were accepted.</param>
public sealed record IngestAckMessage(long RequestId, int Accepted, IReadOnlyList<IngestReject> Rejected) : ServerMessageBody
{
    /// <summary>An ack with no rejected tick.</summary>
    public IngestAckMessage(long requestId, int accepted)
        : this(requestId, accepted, [])
    {
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.IngestAck;
}
