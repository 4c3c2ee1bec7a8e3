namespace MarketStream.Core.Symbols;

/// <summary>How a <see cref="SymbolPattern"/> matches names.</summary>
public enum SymbolPatternKind : byte
{
    /// <summary>One symbol by its exact (ordinal, case-sensitive) name, e.g. <c>EURUSD</c>.</summary>
    Exact = 0,

    /// <summary>Every symbol whose name starts with the prefix, e.g. <c>EUR*</c>.</summary>
    Prefix = 1,

    /// <summary>Every symbol: <c>*</c>.</summary>
    All = 2,

    /// <summary>Any other pattern with <c>*</c>, e.g. <c>*USD</c> or <c>E*R*</c>.</summary>
    Glob = 3,
}
