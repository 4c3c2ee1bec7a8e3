namespace MarketStream.Core.Sessions;

/// <summary>A point in one symbol's stream: the last update a client received.</summary>
/// <param name="Epoch">Stream epoch.</param>
/// <param name="Seq">Sequence of the last update received.</param>
public readonly record struct StreamPosition(long Epoch, long Seq);
