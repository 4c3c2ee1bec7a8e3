namespace MarketStream.Protocol;

/// <summary>
/// One level of a BookChange or BookMerged, <c>[side, price, size, orders]</c> (docs/protocol.md §4.22): the
/// level's new size at <see cref="Price"/>, 0 = the level is gone.
/// </summary>
/// <param name="Side">Bid or ask.</param>
/// <param name="Price">Price mantissa.</param>
/// <param name="Size">New total size at the price, mantissa; 0 deletes the level.</param>
/// <param name="Orders">Orders at the price after the change; 0 = unknown (or deleted).</param>
public readonly record struct BookLevelChange(BookSide Side, long Price, long Size, int Orders);
