using MarketStream.Model;
using MarketStream.Feeds.Symbols;

namespace MarketStream.Feeds.Validation;

/// <summary>
/// Checks ticks before they enter the ring: used by the replay feed and by the ingest endpoint
/// after it decodes a publisher's message. Every refusal is counted per reason in
/// <see cref="Counts"/>. The ordering state (last exchange time per symbol) belongs to one
/// producer: give each producing thread or connection its own validator; they may share counts.
/// </summary>
public sealed class TickValidator
{
    private readonly int _symbolCount;
    private readonly long[] _lastExchangeTime;
    private readonly bool _requireOrder;
    private readonly bool _rejectLocked;
    private readonly SymbolUniverse _universe;

    /// <summary>Creates a validator over <paramref name="universe"/>.</summary>
    /// <param name="universe">Known symbols.</param>
    /// <param name="options">Optional checks. Defaults to <see cref="TickValidationOptions"/> defaults.</param>
    /// <param name="counts">Where refusals are counted. Defaults to a new set.</param>
    public TickValidator(SymbolUniverse universe, TickValidationOptions? options = null, TickRejectCounts? counts = null)
    {
        ArgumentNullException.ThrowIfNull(universe);
        options ??= new TickValidationOptions();
        _universe = universe;
        _symbolCount = universe.Count;
        _lastExchangeTime = new long[universe.Count];
        _requireOrder = options.RequireOrderedExchangeTime;
        _rejectLocked = options.RejectLockedQuotes;
        Counts = counts ?? new TickRejectCounts();
    }

    /// <summary>Refusals per reason.</summary>
    public TickRejectCounts Counts { get; }

    /// <summary>
    /// Resolves a symbol name to its id, refusing (and counting) an overlong or unknown name.
    /// Allocation-free: decoders pass the name as a span.
    /// </summary>
    public IngestRejectCode ResolveSymbol(ReadOnlySpan<char> name, out int symbolId)
    {
        if (name.Length > SymbolInfo.MaxNameLength)
        {
            symbolId = -1;
            return Reject(IngestRejectCode.InvalidSymbol);
        }

        if (name.IsEmpty || !_universe.TryGetId(name, out symbolId))
        {
            symbolId = -1;
            return Reject(IngestRejectCode.UnknownSymbol);
        }

        return IngestRejectCode.None;
    }

    /// <summary>
    /// Checks a decoded tick; on acceptance records its exchange time for the ordering check.
    /// Returns <see cref="IngestRejectCode.None"/> or the (counted) reason.
    /// </summary>
    public IngestRejectCode Validate(in Tick tick)
    {
        var id = tick.SymbolId;
        if ((uint)id >= (uint)_symbolCount)
        {
            return Reject(IngestRejectCode.UnknownSymbol);
        }

        switch (tick.Kind)
        {
            case TickKind.Quote:
                if (tick.BidPrice <= 0 || tick.AskPrice <= 0)
                {
                    return Reject(IngestRejectCode.NonPositivePrice);
                }

                if (tick.BidSize < 0 || tick.AskSize < 0)
                {
                    return Reject(IngestRejectCode.NegativeSize);
                }

                if (tick.BidPrice > tick.AskPrice || (_rejectLocked && tick.BidPrice == tick.AskPrice))
                {
                    return Reject(IngestRejectCode.CrossedQuote);
                }

                break;
            case TickKind.Trade:
                if (tick.Price <= 0)
                {
                    return Reject(IngestRejectCode.NonPositivePrice);
                }

                if (tick.Size <= 0)
                {
                    return Reject(IngestRejectCode.NegativeSize);
                }

                if (tick.Side > TradeSide.Sell)
                {
                    return Reject(IngestRejectCode.BadSide);
                }

                break;
            default:
                return Reject(IngestRejectCode.BadKind);
        }

        var time = tick.ExchangeTimeNs;
        if (time != 0)
        {
            ref var last = ref _lastExchangeTime[id];
            if (_requireOrder && time < last)
            {
                return Reject(IngestRejectCode.OutOfOrder);
            }

            last = time;
        }

        return IngestRejectCode.None;
    }

    /// <summary>Counts a refusal a decoder decided itself (e.g. an unknown symbol in a file's table).</summary>
    public IngestRejectCode Reject(IngestRejectCode reason)
    {
        Counts.Increment(reason);
        return reason;
    }

    /// <summary>Forgets the ordering state (e.g. when a replay loops back to its start).</summary>
    public void ResetOrdering() => Array.Clear(_lastExchangeTime);
}
