using MarketStream.Model;


namespace MarketStream.Protocol;

/// <summary>
/// <c>[18, requestId, mode, [definition, …]]</c>: every symbol the subscription covers, with the id
/// updates use (docs/protocol.md §4.11).
/// </summary>
/// <param name="RequestId">Echoed request id (= subscription id).</param>
/// <param name="Mode">Effective mode.</param>
/// <param name="Symbols">Definitions: id, name, scales, currency, venue.</param>
public sealed record SubscribeAckMessage(long RequestId, SubscriptionMode Mode, IReadOnlyList<SymbolInfo> Symbols) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.SubscribeAck;

    /// <summary>Effective channels of a subscription that named channels (5th element); null for the v1 form.</summary>
    public IReadOnlyList<ChannelRequest>? Channels { get; init; }
}
