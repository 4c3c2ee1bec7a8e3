using MarketStream.Model;


namespace MarketStream.Core.Sessions;

/// <summary>
/// One outbound frame being filled by <see cref="SessionOutbox.Drain{TSink}"/>. Implemented by the
/// server on top of the protocol's batch writer. Each method appends one message and returns
/// false, without writing anything, when the message would push the frame past its size bound;
/// the outbox keeps that item for the next frame.
/// </summary>
/// <remarks>An empty frame must accept any single item (an update of up to
/// <see cref="IUpdateEncoder.MaxUpdateLength"/> bytes, a snapshot, a notice); otherwise the drain
/// cannot make progress.</remarks>
public interface IOutboxSink
{
    /// <summary>Appends one update message already encoded by <see cref="IUpdateEncoder"/> (EncodeUpdate or EncodeMerged). The span is only valid during the call.</summary>
    bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate);

    /// <summary>
    /// Appends a snapshot of <paramref name="symbol"/>. A <paramref name="reset"/> other than
    /// <see cref="ResetCause.None"/> marks a reset (history gone, replace your state);
    /// <paramref name="unsolicited"/> marks one the stream caused (an epoch change, a repaired
    /// upstream gap, a full-mode client overrun by the history) rather than an answer to the
    /// subscription's latest request.
    /// </summary>
    bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited);

    /// <summary>Appends a notice.</summary>
    bool TryAppendNotice(in OutboxNotice notice);
}
