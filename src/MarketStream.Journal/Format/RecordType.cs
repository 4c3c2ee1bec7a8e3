namespace MarketStream.Journal.Format;

/// <summary>What a journal record holds (body byte 0; docs/journal.md §3).</summary>
public enum RecordType : byte
{
    /// <summary>Symbol id → name, scales, currency, venue. Every segment opens with one per known symbol.</summary>
    SymbolDefinition = 1,

    /// <summary>One sequenced update of one channel of one symbol.</summary>
    Update = 2,

    /// <summary>Events were sequenced but not journaled here (journaling was paused); payload: their count.</summary>
    Gap = 3,
}
