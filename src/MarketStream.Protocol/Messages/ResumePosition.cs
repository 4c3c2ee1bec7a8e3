namespace MarketStream.Protocol;

/// <summary>
/// <c>[symbol, epoch, seq]</c>: the last update a client holds for a symbol (docs/protocol.md §2.4).
/// By name, because symbol ids may differ between gateways.
/// </summary>
/// <param name="Symbol">Symbol name (not a pattern).</param>
/// <param name="Epoch">Epoch of the last update received.</param>
/// <param name="Seq">Sequence of the last update received.</param>
public readonly record struct ResumePosition(string Symbol, long Epoch, long Seq);
