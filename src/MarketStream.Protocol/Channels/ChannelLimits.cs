using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// Caps on channel requests that <see cref="ClientMessageReader"/> enforces (docs/protocol.md §7.1).
/// The defaults are the protocol's documented values; a server configured otherwise passes its own
/// instance through <see cref="DecoderLimits.Channels"/>.
/// </summary>
public sealed class ChannelLimits
{
    /// <summary>Book depth a request of 0 gets.</summary>
    public const int DefaultBookDepth = 10;

    /// <summary>Smallest book depth delivered: the checksum covers the top 10 levels per side, so every book
    /// subscriber holds at least those (a smaller request is raised to this).</summary>
    public const int MinBookDepth = BookChecksum.Levels;

    /// <summary>Largest <see cref="MaxBookDepth"/> a server may configure.</summary>
    public const int AbsoluteMaxBookDepth = 1000;

    /// <summary>Most entries in one Subscribe's channel list (each bar interval is one entry).</summary>
    public const int MaxEntries = 16;

    /// <summary>Fastest paced replay accepted, in percent of real time (10,000 = 100× real time; 0 = unpaced).</summary>
    public const int MaxReplayPacePercent = 10_000;

    /// <summary>The limits the protocol documents: depth cap 50, 1,000 bars, 100 trades, intervals 1 s, 1 min, 5 min, 1 h.</summary>
    public static ChannelLimits Default { get; } = new();

    private readonly int _maxBookDepth = 50;

    /// <summary>Deepest book a subscription may ask for, levels per side. Defaults to 50; 10–1,000.</summary>
    public int MaxBookDepth
    {
        get => _maxBookDepth;
        init => _maxBookDepth = value is >= MinBookDepth and <= AbsoluteMaxBookDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxBookDepth must be {MinBookDepth}–{AbsoluteMaxBookDepth}.");
    }

    /// <summary>Most closed bars a bars entry may ask for on subscribe. Defaults to 1,000.</summary>
    public int MaxBarsHistory { get; init; } = 1000;

    /// <summary>Most trades a trades entry may ask for on subscribe. Defaults to 100.</summary>
    public int MaxTradesHistory { get; init; } = 100;

    /// <summary>Bar intervals the server computes, in seconds. Defaults to 1, 60, 300, 3600.</summary>
    public IReadOnlyList<int> BarIntervalsSeconds { get; init; } = [1, 60, 300, 3600];

    /// <summary>True if the server computes bars of <paramref name="seconds"/>.</summary>
    public bool IsBarInterval(int seconds)
    {
        var intervals = BarIntervalsSeconds;
        for (var i = 0; i < intervals.Count; i++)
        {
            if (intervals[i] == seconds)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Elements of a channel entry on the wire, channel code included; 0 for an unknown channel.</summary>
    public static int EntryLength(ChannelKind channel) => channel switch
    {
        ChannelKind.Quotes or ChannelKind.Statistics or ChannelKind.Status => 1,
        ChannelKind.Trades or ChannelKind.Book => 2,
        ChannelKind.Bars => 3,
        _ => 0,
    };

    /// <summary>The depth a book request of <paramref name="requested"/> levels gets (0 = default, raised to the minimum).</summary>
    public static int EffectiveBookDepth(int requested) =>
        requested == 0 ? DefaultBookDepth : Math.Max(requested, MinBookDepth);
}
