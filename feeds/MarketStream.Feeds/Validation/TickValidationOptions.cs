namespace MarketStream.Feeds.Validation;

/// <summary>Which checks <see cref="TickValidator"/> applies beyond the always-on ones.</summary>
public sealed class TickValidationOptions
{
    /// <summary>
    /// Refuse a tick whose exchange timestamp is earlier than the previous accepted one of the
    /// same symbol (ticks with no timestamp, 0, are not checked). Defaults to <c>true</c>.
    /// </summary>
    public bool RequireOrderedExchangeTime { get; set; } = true;

    /// <summary>Refuse locked quotes (bid equal to ask) as well as crossed ones. Defaults to <c>false</c>.</summary>
    public bool RejectLockedQuotes { get; set; }
}
