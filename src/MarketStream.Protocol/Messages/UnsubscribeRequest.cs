namespace MarketStream.Protocol;

/// <summary><c>[3, requestId, subscriptionId]</c> (docs/protocol.md §4.3).</summary>
/// <param name="RequestId">Request id.</param>
/// <param name="SubscriptionId">Request id of the Subscribe to cancel.</param>
public sealed record UnsubscribeRequest(long RequestId, long SubscriptionId) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Unsubscribe;
}
