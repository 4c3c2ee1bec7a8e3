using MarketStream.Model;


namespace MarketStream.Feeds.Symbols;

/// <summary>One symbol of a feed universe: its reference data plus what the synthetic feed starts from.</summary>
/// <param name="Symbol">Reference data; <see cref="SymbolInfo.Id"/> equals the entry's index in the universe.</param>
/// <param name="StartPrice">Starting price mantissa (scale <see cref="SymbolInfo.PriceScale"/>); positive.</param>
/// <param name="LotSize">Size step of generated orders and trades, as a size mantissa (scale <see cref="SymbolInfo.SizeScale"/>); positive.</param>
public sealed record UniverseEntry(SymbolInfo Symbol, long StartPrice, long LotSize);
