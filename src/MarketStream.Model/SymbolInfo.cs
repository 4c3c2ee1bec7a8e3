namespace MarketStream.Model;

/// <summary>Reference data of one symbol. Immutable; shared by every stage and session.</summary>
/// <param name="Id">Interned id, dense from 0, stable for the life of the process.</param>
/// <param name="Name">Symbol as users type it, e.g. <c>AAPL</c> or <c>EURUSD</c>.</param>
/// <param name="PriceScale">Decimal places of price mantissas (0–9): price = mantissa / 10^PriceScale.</param>
/// <param name="SizeScale">Decimal places of size mantissas (0–9).</param>
/// <param name="Currency">Quote currency where known, else empty.</param>
/// <param name="Venue">Venue or source where known, else empty.</param>
public sealed record SymbolInfo(int Id, string Name, byte PriceScale, byte SizeScale, string Currency, string Venue)
{
    /// <summary>Longest symbol name accepted anywhere (registry, protocol, feeds).</summary>
    public const int MaxNameLength = 32;

    /// <summary>Largest price or size scale accepted.</summary>
    public const byte MaxScale = 9;
}
