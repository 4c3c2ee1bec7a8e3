namespace MarketStream.Journal;

/// <summary>When the journal forces written records to stable storage (docs/journal.md §6).</summary>
public enum FsyncPolicy
{
    /// <summary>Never; the operating system writes dirty pages back on its own schedule (Linux: within ~30 s).</summary>
    None,

    /// <summary>Every <see cref="JournalOptions.FsyncIntervalMs"/> milliseconds while records were written since the last one.</summary>
    Interval,

    /// <summary>After every write the writer thread makes.</summary>
    EveryWrite,
}
