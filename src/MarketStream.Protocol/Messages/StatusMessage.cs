namespace MarketStream.Protocol;

/// <summary>A decoded Status message (docs/protocol.md §4.27).</summary>
/// <param name="Value">Trading status, stale flag and their stream position.</param>
public sealed record StatusMessage(SymbolStatus Value) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Status;
}
