using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Server.Gateway;

/// <summary>
/// The outbox's view of one outbound Batch frame (docs/protocol.md §4.8): copies pre-encoded updates
/// verbatim and writes snapshots, resets and notices with the session's request and subscription ids.
/// One per session, reused for every frame. Called by <see cref="SessionOutbox.Drain{TSink}"/> under
/// the outbox gate and under the session lock, so it may read <see cref="SessionSubscriptions"/>
/// but must never call back into the outbox.
/// </summary>
internal sealed class FrameSink(BatchWriter batch, SessionSubscriptions subscriptions) : IOutboxSink
{
    // Constant texts: a notice on the hot path must not format strings (§4.16 text is for humans).
    private const string DegradedText = "full-mode queue overflowed; subscription is now conflated";
    private const string LagText = "max lag exceeded; queued updates were merged to catch up";
    private const string SlowText = "session queue is nearly full; it will be closed as a slow consumer (4000) unless it catches up";

    /// <summary>Updates (plain and merged) appended since <see cref="Begin"/>.</summary>
    public int Updates { get; private set; }

    /// <summary>Merged updates (§4.7) among <see cref="Updates"/>.</summary>
    public int Merged { get; private set; }

    public void Begin()
    {
        Updates = 0;
        Merged = 0;
    }

    public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate)
    {
        if (!batch.TryAppendEncoded(encodedUpdate))
        {
            return false;
        }

        Updates++;
        // [type, …] with a fixarray header: the type code is the second byte.
        if (encodedUpdate.Length > 1 && encodedUpdate[1] == (byte)MessageType.Merged)
        {
            Merged++;
        }

        if (subscriptions.PendingRequests > 0 && TryReadSymbolId(encodedUpdate, out var symbolId))
        {
            // A resumed subscription whose replay succeeded gets no snapshot: its request is answered
            // by the stream itself, so a later unsolicited Reset carries requestId 0 (§4.14).
            subscriptions.TakeRequestId(symbolId);
        }

        return true;
    }

    public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited)
    {
        // An unsolicited reset answers no request (§4.14: requestId 0). Any id still owed for the
        // symbol is stale by then: the subscription went live without a message of its own (a
        // resume already at the current position), so it is dropped rather than put on this reset.
        // The request id is consumed only if the message fits: a refused item is retried in the next frame.
        var requestId = subscriptions.TakeRequestId(symbol.Id);
        var answered = unsolicited ? 0 : requestId;
        var appended = reset != ResetCause.None
            ? batch.TryAppendReset(answered, (ResetReason)reset, symbol, snapshot)
            : batch.TryAppendSnapshot(answered, symbol, snapshot);
        if (!appended && requestId != 0)
        {
            subscriptions.ExpectSnapshot(symbol.Id, requestId);
        }

        return appended;
    }

    public bool TryAppendNotice(in OutboxNotice notice) => notice.Kind switch
    {
        OutboxNoticeKind.DegradedToConflated => batch.TryAppendNotice(NoticeCode.DegradedToConflated, subscriptions.OwnerOf(notice.SymbolId), 0, DegradedText),
        OutboxNoticeKind.LagCatchUp => batch.TryAppendNotice(NoticeCode.MaxLagMerged, subscriptions.OwnerOf(notice.SymbolId), Math.Max(0, notice.LastSeq - notice.FirstSeq + 1), LagText),
        // Queue-based slow consumer (close policy): the close follows as soon as this frame is out.
        OutboxNoticeKind.SlowConsumerWarning => batch.TryAppendNotice(NoticeCode.SlowConsumer, 0, 0, SlowText),
        _ => true,
    };

    /// <summary>Symbol id of an encoded Update/Merged: <c>[type, symbolId, …]</c>, fixarray header, fixint type, then any unsigned int encoding.</summary>
    private static bool TryReadSymbolId(ReadOnlySpan<byte> message, out int symbolId)
    {
        symbolId = 0;
        if (message.Length < 3)
        {
            return false;
        }

        var b = message[2];
        if (b <= 0x7f)
        {
            symbolId = b;
            return true;
        }

        switch (b)
        {
            case 0xcc when message.Length >= 4:
                symbolId = message[3];
                return true;
            case 0xcd when message.Length >= 5:
                symbolId = (message[3] << 8) | message[4];
                return true;
            case 0xce when message.Length >= 7:
                symbolId = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(message.Slice(3, 4));
                return true;
            default:
                return false;
        }
    }
}
