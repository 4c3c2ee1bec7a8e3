namespace MarketStream.Protocol;

/// <summary>A decoded Bar (docs/protocol.md §4.25).</summary>
/// <param name="Value">The bar and its stream position.</param>
public sealed record BarMessage(Bar Value) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Bar;
}
