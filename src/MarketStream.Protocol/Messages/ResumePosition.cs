using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// <c>[symbol, epoch, seq]</c>: the last update a client holds of a symbol's L1 stream (docs/protocol.md §2.4),
/// or <c>[symbol, epoch, seq, channel, intervalSeconds]</c> for another channel's stream (§2.5).
/// By name, because symbol ids may differ between gateways.
/// </summary>
/// <param name="Symbol">Symbol name (not a pattern).</param>
/// <param name="Epoch">Epoch of the last update received.</param>
/// <param name="Seq">Sequence of the last update received.</param>
public readonly record struct ResumePosition(string Symbol, long Epoch, long Seq)
{
    /// <summary>The stream's channel; <see cref="ChannelKind.None"/> = the v1 form (the L1 stream, 3 elements).</summary>
    public ChannelKind Channel { get; init; }

    /// <summary>Bars: the interval in seconds; 0 for every other channel.</summary>
    public int IntervalSeconds { get; init; }
}
