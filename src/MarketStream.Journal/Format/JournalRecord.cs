using MarketStream.Model;

namespace MarketStream.Journal.Format;

/// <summary>
/// One record as read from a segment. <see cref="Payload"/> points into the reader's buffer and is
/// valid until the reader's next call.
/// </summary>
public readonly ref struct JournalRecord
{
    public JournalRecord(RecordType type, ChannelKind channel, int symbolId, long epoch, long seq, long timeNs, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Channel = channel;
        SymbolId = symbolId;
        Epoch = epoch;
        Seq = seq;
        TimeNs = timeNs;
        Payload = payload;
    }

    /// <summary>What the record holds.</summary>
    public RecordType Type { get; }

    /// <summary>The update's channel; <see cref="ChannelKind.None"/> for other types.</summary>
    public ChannelKind Channel { get; }

    /// <summary>Symbol id (registry id of the writing server); -1 when the record is not about one symbol.</summary>
    public int SymbolId { get; }

    /// <summary>The update's epoch; 0 for other types.</summary>
    public long Epoch { get; }

    /// <summary>The update's seq in its stream; 0 for other types.</summary>
    public long Seq { get; }

    /// <summary>Server time, Unix nanoseconds: when the sequencer stamped the update, or when the record was written.</summary>
    public long TimeNs { get; }

    /// <summary>The type- and channel-specific bytes after the fixed body header.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
