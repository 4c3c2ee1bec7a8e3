namespace MarketStream.Model;

/// <summary>Reference data for a symbol about to be registered (the registry assigns the id).</summary>
/// <param name="Name">Symbol name; see <see cref="SymbolNames"/> for what is allowed.</param>
/// <param name="PriceScale">Decimal places of price mantissas, 0–9.</param>
/// <param name="SizeScale">Decimal places of size mantissas, 0–9.</param>
/// <param name="Currency">Quote currency where known, else empty.</param>
/// <param name="Venue">Venue or source where known, else empty.</param>
public readonly record struct SymbolDefinition(string Name, byte PriceScale, byte SizeScale, string Currency = "", string Venue = "");
