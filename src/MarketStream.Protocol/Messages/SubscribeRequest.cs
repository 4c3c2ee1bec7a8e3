namespace MarketStream.Protocol;

/// <summary>
/// <c>[2, requestId, symbols, mode, maxRateMs, maxLagMs, resume]</c>, optionally followed by <c>channels</c> and
/// <c>replay</c> (docs/protocol.md §4.2). Without them (the v1 form) the subscription takes quotes and trades.
/// </summary>
/// <param name="RequestId">Request id; also the subscription id that Unsubscribe names.</param>
/// <param name="Symbols">Symbol names and patterns (<c>*</c>, <c>EUR*</c>).</param>
/// <param name="Mode">Conflated or full.</param>
/// <param name="MaxRateMs">At least this many ms between updates of one symbol; 0 = no limit.</param>
/// <param name="MaxLagMs">Full mode: merge once the oldest queued update is older than this; 0 = none.</param>
/// <param name="Resume">Positions to resume from, by symbol name.</param>
public sealed record SubscribeRequest(
    long RequestId,
    IReadOnlyList<string> Symbols,
    SubscriptionMode Mode,
    int MaxRateMs,
    int MaxLagMs,
    IReadOnlyList<ResumePosition> Resume) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Subscribe;

    /// <summary>Channels per covered symbol; null = the v1 form (quotes and trades, 7 elements on the wire).</summary>
    public IReadOnlyList<ChannelRequest>? Channels { get; init; }

    /// <summary>Start at a time from the journal (§2.6); null = live (no 9th element on the wire).</summary>
    public ReplayStart? Replay { get; init; }
}
