namespace MarketStream.Protocol;

/// <summary><c>[6, requestId, [tick, …]]</c>: a feed publisher pushes ticks (docs/protocol.md §4.17).</summary>
/// <param name="RequestId">Request id.</param>
/// <param name="Ticks">Ticks in publication order.</param>
public sealed record IngestTicksRequest(long RequestId, IReadOnlyList<IngestTick> Ticks) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.IngestTicks;
}
