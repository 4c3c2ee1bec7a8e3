using MarketStream.Core.Sessions;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Support;

internal enum DeliveredKind
{
    Snapshot,
    Reset,
    Update,
    Merged,
    Notice,
}

/// <summary>One message as a client would decode it from a frame.</summary>
internal sealed record Delivered(DeliveredKind Kind, int SymbolId, long Epoch, long FirstSeq, long LastSeq, int Count, int Frame)
{
    public Tick Tick { get; init; }

    public MergedUpdate Merged { get; init; }

    public SymbolSnapshot Snapshot { get; init; }

    public OutboxNotice Notice { get; init; }

    public byte[] Bytes { get; init; } = [];

    public bool IsData => Kind is DeliveredKind.Update or DeliveredKind.Merged;

    public bool IsSnapshot => Kind is DeliveredKind.Snapshot or DeliveredKind.Reset;
}
