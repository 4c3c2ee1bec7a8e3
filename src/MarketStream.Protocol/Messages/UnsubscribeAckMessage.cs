namespace MarketStream.Protocol;

/// <summary><c>[19, requestId, subscriptionId]</c> (docs/protocol.md §4.12).</summary>
/// <param name="RequestId">Echoed request id.</param>
/// <param name="SubscriptionId">The subscription that ended; no update for it follows.</param>
public sealed record UnsubscribeAckMessage(long RequestId, long SubscriptionId) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.UnsubscribeAck;
}
