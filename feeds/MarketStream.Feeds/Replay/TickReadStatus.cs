using MarketStream.Model;

namespace MarketStream.Feeds.Replay;

/// <summary>What <see cref="ITickReader.Read"/> produced.</summary>
public enum TickReadStatus
{
    /// <summary>No more records.</summary>
    End = 0,

    /// <summary>A tick was decoded (still to be checked by a <see cref="Validation.TickValidator"/>).</summary>
    Tick = 1,

    /// <summary>A well-formed record that cannot become a tick (e.g. its symbol is not in the universe); skip it and count the reason.</summary>
    Rejected = 2,
}
