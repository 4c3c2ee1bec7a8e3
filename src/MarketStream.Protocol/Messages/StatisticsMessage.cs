namespace MarketStream.Protocol;

/// <summary>A decoded Statistics message (docs/protocol.md §4.26).</summary>
/// <param name="Value">The session statistics and their stream position.</param>
public sealed record StatisticsMessage(SessionStatistics Value) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Statistics;
}
