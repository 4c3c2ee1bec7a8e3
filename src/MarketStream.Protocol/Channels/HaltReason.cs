namespace MarketStream.Protocol;

/// <summary>Why a symbol is halted (docs/protocol.md §4.27); keep unknown codes as numbers.</summary>
public enum HaltReason : byte
{
    /// <summary>Not halted, or no reason given.</summary>
    None = 0,

    /// <summary>News pending or being disseminated.</summary>
    News = 1,

    /// <summary>Volatility pause / limit-up-limit-down.</summary>
    Volatility = 2,

    /// <summary>Regulatory halt.</summary>
    Regulatory = 3,

    /// <summary>Any other reason the venue gives.</summary>
    Other = 4,
}
