using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// <see cref="IOutboxSink"/> over the protocol's real <see cref="BatchWriter"/>: what a session's
/// writer loop does minus the socket. A struct so <c>SessionOutbox.Drain&lt;TSink&gt;</c> is
/// specialised for it (no interface call per item); it only wraps a reference, so copies share
/// the one frame. The server has its own production adapter; this one exists for the benchmarks.
/// </summary>
internal readonly struct BatchWriterSink(BatchWriter writer) : IOutboxSink
{
    // Constant texts: a notice must not allocate a string on the drain path.
    private const string DegradedText = "degraded to conflated";
    private const string LagText = "max lag: merged to catch up";
    private const string SlowText = "slow consumer";

    public BatchWriter Writer => writer;

    public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate) => writer.TryAppendEncoded(encodedUpdate);

    public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited) =>
        reset != ResetCause.None
            ? writer.TryAppendReset(0, (ResetReason)reset, symbol, snapshot)
            : writer.TryAppendSnapshot(0, symbol, snapshot);

    public bool TryAppendNotice(in OutboxNotice notice) => notice.Kind switch
    {
        OutboxNoticeKind.DegradedToConflated => writer.TryAppendNotice(NoticeCode.DegradedToConflated, notice.SymbolId, notice.FirstSeq, DegradedText),
        OutboxNoticeKind.LagCatchUp => writer.TryAppendNotice(NoticeCode.MaxLagMerged, notice.SymbolId, notice.LastSeq, LagText),
        _ => writer.TryAppendNotice(NoticeCode.SlowConsumer, notice.SymbolId, 0, SlowText),
    };
}
