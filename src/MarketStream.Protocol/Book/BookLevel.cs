namespace MarketStream.Protocol;

/// <summary>
/// One price level of a market-by-price book, <c>[price, size, orders]</c> in a BookSnapshot (docs/protocol.md
/// §4.21): mantissas with the symbol's price and size scales, and the number of orders resting at the price
/// (0 if the venue does not say).
/// </summary>
/// <param name="Price">Price mantissa.</param>
/// <param name="Size">Total size at the price, mantissa; &gt; 0 in a snapshot.</param>
/// <param name="Orders">Orders at the price; 0 = unknown.</param>
public readonly record struct BookLevel(long Price, long Size, int Orders);
