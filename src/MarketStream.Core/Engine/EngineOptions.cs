namespace MarketStream.Core.Engine;

/// <summary>Settings of the market-data engine (sequencer, last-value cache, history).</summary>
public sealed class EngineOptions
{
    /// <summary>Largest <see cref="HistoryDepth"/> accepted.</summary>
    public const int MaxHistoryDepth = 1 << 16;

    /// <summary>
    /// Updates kept per symbol for resume and full-mode delivery; a power of two, 16–65,536.
    /// Defaults to 1,024. Memory per symbol that has ticked is
    /// <c>HistoryDepth × (IUpdateEncoder.MaxUpdateLength + 120)</c> bytes, each entry rounded up to
    /// a multiple of 64 (320 KB with the MessagePack encoder), allocated on its first tick.
    /// </summary>
    public int HistoryDepth { get; set; } = 1024;

    /// <summary>
    /// Epoch given to locally sequenced symbols. Zero (the default) means "now in Unix milliseconds"
    /// at engine start, so every restart begins a new epoch and clients holding an old position get
    /// a reset instead of a silently wrong replay. Must not be negative.
    /// </summary>
    public long StartEpoch { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (HistoryDepth < 16 || HistoryDepth > MaxHistoryDepth || (HistoryDepth & (HistoryDepth - 1)) != 0)
        {
            throw new ArgumentException($"EngineOptions.HistoryDepth must be a power of two from 16 to {MaxHistoryDepth}; got {HistoryDepth}.");
        }

        if (StartEpoch < 0)
        {
            throw new ArgumentException($"EngineOptions.StartEpoch must be 0 (derive from the clock) or positive; got {StartEpoch}.");
        }
    }
}
