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

    /// <summary>Why a reset was sent (<see cref="ResetCause.None"/> for a snapshot).</summary>
    public ResetCause ResetCause { get; init; }

    /// <summary>A reset the stream caused rather than an answer to a request (§4.14: requestId 0).</summary>
    public bool Unsolicited { get; init; }

    public OutboxNotice Notice { get; init; }

    public byte[] Bytes { get; init; } = [];

    public bool IsData => Kind is DeliveredKind.Update or DeliveredKind.Merged;

    public bool IsSnapshot => Kind is DeliveredKind.Snapshot or DeliveredKind.Reset;
}
