namespace MarketStream.Journal;

/// <summary>Whether the journal is keeping up (docs/journal.md §5).</summary>
public enum JournalState
{
    /// <summary>Every sequenced update is being journaled.</summary>
    Running,

    /// <summary>The disk is behind and the hand-off is full: updates are being missed (and a gap record marks them).</summary>
    Paused,

    /// <summary>Writing failed (I/O error, full disk, read-only directory): nothing is written until a retry succeeds.</summary>
    Faulted,

    /// <summary>Stopped (or never started).</summary>
    Stopped,
}
