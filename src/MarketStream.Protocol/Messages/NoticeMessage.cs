namespace MarketStream.Protocol;

/// <summary><c>[26, code, subscriptionId, value, text]</c> (docs/protocol.md §4.16).</summary>
/// <param name="Code">What happened.</param>
/// <param name="SubscriptionId">Affected subscription, or 0 for the whole session.</param>
/// <param name="Value">Code-specific figure (see <see cref="NoticeCode"/>).</param>
/// <param name="Text">Human-readable explanation.</param>
public sealed record NoticeMessage(NoticeCode Code, long SubscriptionId, long Value, string Text) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Notice;
}
