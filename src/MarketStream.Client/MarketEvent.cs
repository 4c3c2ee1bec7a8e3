using System.Runtime.InteropServices;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>
/// One thing that happened on the stream, in order. A struct so that the receive path allocates nothing
/// per update: symbol references are shared, the values are copied. Market-data kinds (Snapshot, Update,
/// Merged, Reset) carry the symbol's <see cref="State"/> after the event was applied to the local book, so a
/// consumer that lags behind the receive loop still sees a consistent picture.
/// </summary>
public readonly struct MarketEvent
{
    private readonly Payload _payload;

    internal MarketEvent(MarketEventKind kind, SymbolInfo? symbol, long subscriptionId, long epoch, long firstSeq, long seq, int count, in SymbolSnapshot state, long clientTimeNs, object? detail = null, ResetReason resetReason = default)
    {
        Kind = kind;
        Symbol = symbol;
        SubscriptionId = subscriptionId;
        Epoch = epoch;
        FirstSeq = firstSeq;
        Seq = seq;
        Count = count;
        State = state;
        ClientTimeNs = clientTimeNs;
        Detail = detail;
        ResetReason = resetReason;
    }

    internal MarketEvent(SymbolInfo symbol, in Tick update, in SymbolSnapshot state, long clientTimeNs)
        : this(MarketEventKind.Update, symbol, 0, update.Epoch, update.Seq, update.Seq, 1, state, clientTimeNs) =>
        _payload.Update = update;

    internal MarketEvent(SymbolInfo symbol, in MergedUpdate merged, in SymbolSnapshot state, long clientTimeNs)
        : this(MarketEventKind.Merged, symbol, 0, merged.Epoch, merged.FirstSeq, merged.LastSeq, merged.Count, state, clientTimeNs) =>
        _payload.Merged = merged;

    /// <summary>What happened.</summary>
    public MarketEventKind Kind { get; }

    /// <summary>The symbol (Snapshot, Update, Merged, Reset, Gap); null for session events.</summary>
    public SymbolInfo? Symbol { get; }

    /// <summary>Snapshot/Reset: the request it answers (0 for an unsolicited reset). Notice: the subscription it concerns (0 = session). Error: the request id.</summary>
    public long SubscriptionId { get; }

    /// <summary>Epoch of the symbol's stream (market-data kinds and Gap).</summary>
    public long Epoch { get; }

    /// <summary>First sequence covered: the update's seq (Update), firstSeq (Merged), the first missing seq (Gap), the snapshot seq (Snapshot/Reset).</summary>
    public long FirstSeq { get; }

    /// <summary>Last sequence covered; after this event the symbol's position is (<see cref="Epoch"/>, <see cref="Seq"/>).</summary>
    public long Seq { get; }

    /// <summary>Updates covered: 1 (Update), the merged count (Merged), missing updates (Gap), 0 otherwise.</summary>
    public int Count { get; }

    /// <summary>The symbol's book entry after this event (Snapshot, Update, Merged, Reset); default otherwise.</summary>
    public SymbolSnapshot State { get; }

    /// <summary>Client clock (Unix ns) when the frame holding this event arrived; tick-to-client latency is this minus the update's ReceiveTimeNs.</summary>
    public long ClientTimeNs { get; }

    /// <summary>Why a Reset happened.</summary>
    public ResetReason ResetReason { get; }

    /// <summary>The update, for <see cref="MarketEventKind.Update"/>.</summary>
    public Tick Update => Kind == MarketEventKind.Update ? _payload.Update : default;

    /// <summary>The folded updates, for <see cref="MarketEventKind.Merged"/>.</summary>
    public MergedUpdate Merged => Kind == MarketEventKind.Merged ? _payload.Merged : default;

    /// <summary>Server figures, for <see cref="MarketEventKind.Heartbeat"/>.</summary>
    public HeartbeatMessage? Heartbeat => Detail as HeartbeatMessage;

    /// <summary>The notice, for <see cref="MarketEventKind.Notice"/>.</summary>
    public NoticeMessage? Notice => Detail as NoticeMessage;

    /// <summary>The error, for <see cref="MarketEventKind.Error"/>.</summary>
    public ErrorMessage? Error => Detail as ErrorMessage;

    /// <summary>The session, for <see cref="MarketEventKind.Connected"/>.</summary>
    public ConnectionInfo? Connection => Detail as ConnectionInfo;

    /// <summary>How the connection ended, for <see cref="MarketEventKind.Disconnected"/>.</summary>
    public DisconnectInfo? Disconnect => Detail as DisconnectInfo;

    private object? Detail { get; }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        MarketEventKind.Update or MarketEventKind.Snapshot or MarketEventKind.Reset => $"{Kind} {Symbol?.Name} {Epoch}:{Seq}",
        MarketEventKind.Merged or MarketEventKind.Gap => $"{Kind} {Symbol?.Name} {Epoch}:{FirstSeq}..{Seq} count={Count}",
        _ => $"{Kind} {Detail}",
    };

    // Update and Merged are both unmanaged and never present together: overlap them.
    [StructLayout(LayoutKind.Explicit)]
    private struct Payload
    {
        [FieldOffset(0)]
        public Tick Update;

        [FieldOffset(0)]
        public MergedUpdate Merged;
    }
}
