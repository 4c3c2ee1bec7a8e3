namespace MarketStream.Core.Sessions;

/// <summary>An in-band notice for the client.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SymbolId">Symbol concerned, or -1 for the whole session.</param>
/// <param name="Epoch">Epoch of the range, if any.</param>
/// <param name="FirstSeq">First sequence concerned (LagCatchUp: first merged), else 0.</param>
/// <param name="LastSeq">Last sequence concerned (LagCatchUp: last merged), else 0.</param>
public readonly record struct OutboxNotice(OutboxNoticeKind Kind, int SymbolId, long Epoch = 0, long FirstSeq = 0, long LastSeq = 0);
