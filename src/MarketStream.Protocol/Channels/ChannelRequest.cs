using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// One entry of Subscribe's <c>channels</c> list (docs/protocol.md §4.2): <c>[1]</c> quotes,
/// <c>[2, history]</c> trades, <c>[3, depth]</c> book, <c>[4, intervalSeconds, history]</c> bars,
/// <c>[5]</c> statistics, <c>[6]</c> status. Fields a channel does not use are 0.
/// </summary>
/// <param name="Channel">Which channel.</param>
/// <param name="Depth">Book: levels per side (0 = <see cref="ChannelLimits.DefaultBookDepth"/>; below
/// <see cref="ChannelLimits.MinBookDepth"/> is raised to it).</param>
/// <param name="IntervalSeconds">Bars: the bar interval in seconds.</param>
/// <param name="History">Trades: last N trades; bars: last N closed bars — sent before the live stream.</param>
public readonly record struct ChannelRequest(ChannelKind Channel, int Depth = 0, int IntervalSeconds = 0, int History = 0)
{
    /// <summary><c>[1]</c>.</summary>
    public static ChannelRequest Quotes => new(ChannelKind.Quotes);

    /// <summary><c>[5]</c>.</summary>
    public static ChannelRequest Statistics => new(ChannelKind.Statistics);

    /// <summary><c>[6]</c>.</summary>
    public static ChannelRequest Status => new(ChannelKind.Status);

    /// <summary><c>[2, history]</c>.</summary>
    public static ChannelRequest Trades(int history = 0) => new(ChannelKind.Trades, History: history);

    /// <summary><c>[3, depth]</c>.</summary>
    public static ChannelRequest Book(int depth = 0) => new(ChannelKind.Book, Depth: depth);

    /// <summary><c>[4, intervalSeconds, history]</c>.</summary>
    public static ChannelRequest Bars(int intervalSeconds, int history = 0) => new(ChannelKind.Bars, IntervalSeconds: intervalSeconds, History: history);

    /// <summary>Elements of this entry on the wire, channel code included.</summary>
    public int WireLength => ChannelLimits.EntryLength(Channel);
}
