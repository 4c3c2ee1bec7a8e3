using MarketStream.Model;


namespace MarketStream.Protocol.Internal;

/// <summary>
/// Decodes the fields after the type code of one server message. Lenient in one way only, for forward
/// compatibility (docs/protocol.md §3): elements beyond the documented ones are skipped. Enum-valued
/// codes (error, notice, reset reason) are kept even if unknown to this version.
/// </summary>
internal static partial class ServerBodyReader
{
    /// <summary>Reads the fields after the type code; <paramref name="count"/> is the whole array length, type code included.</summary>
    public static bool TryRead(ref SpanFieldReader r, int count, MessageType type, out ServerMessage message, out ProtocolError error)
    {
        var expected = type switch
        {
            MessageType.Welcome => 10,
            MessageType.Authenticated => 4,
            MessageType.SubscribeAck => 4,
            MessageType.UnsubscribeAck => 3,
            MessageType.Snapshot => 9,
            MessageType.Update => 12,
            MessageType.Merged => 11,
            MessageType.Reset => 10,
            MessageType.Heartbeat => 6,
            MessageType.Notice => 5,
            MessageType.Pong => 4,
            MessageType.Error => 4,
            MessageType.IngestAck => 4,
            _ => ChannelElementCount(type),
        };
        if (expected < 0)
        {
            message = default;
            return Fail(ErrorCode.UnknownMessageType, "unknown server message type", out error);
        }

        if (count < expected)
        {
            message = default;
            return Fail(ErrorCode.InvalidField, "message has fewer elements than its type requires", out error);
        }

        var ok = type switch
        {
            MessageType.Update => TryReadUpdate(ref r, out message),
            MessageType.Merged => TryReadMerged(ref r, out message),
            >= MessageType.BookSnapshot => TryReadChannelBody(ref r, type, out message),
            _ => TryReadBody(ref r, count, type, out message),
        };
        if (!ok)
        {
            message = default; // not half a message
            return Fail(ErrorCode.InvalidField, "a field has the wrong type or is out of range", out error);
        }

        // A SubscribeAck's optional 5th element (effective channels, §4.11) was read with it.
        var read = type == MessageType.SubscribeAck && count > expected ? expected + 1 : expected;
        if (count > read && !r.TrySkip(count - read))
        {
            message = default;
            return Fail(ErrorCode.MalformedMessage, "message is truncated", out error);
        }

        error = default;
        return true;
    }

    // Update and Merged write straight into the message (no copy of a finished struct) and read through a local
    // copy of the reader, which the JIT keeps in registers (the caller's is written back once, at the end).
    private static bool TryReadUpdate(ref SpanFieldReader reader, out ServerMessage message)
    {
        ref var t = ref ServerMessage.StartUpdate(out message);
        var r = reader;
        if (!r.TryReadInt32(int.MinValue, int.MaxValue, out t.SymbolId)
            || !r.TryReadInt64(out t.Epoch)
            || !r.TryReadInt64(out t.Seq)
            || !r.TryReadInt32((int)TickKind.Quote, (int)TickKind.Trade, out var kind))
        {
            return false;
        }

        t.Kind = (TickKind)kind;
        if (t.Kind == TickKind.Trade)
        {
            if (!r.TryReadInt64(out t.Price)
                || !r.TryReadInt64(out t.Size)
                || !r.TryReadInt32(0, byte.MaxValue, out var side)
                || !r.TryReadInt32(0, ushort.MaxValue, out var conditions))
            {
                return false;
            }

            t.Side = (TradeSide)side;
            t.Conditions = (ushort)conditions;
        }
        else if (!r.TryReadInt64(out t.BidPrice)
            || !r.TryReadInt64(out t.BidSize)
            || !r.TryReadInt64(out t.AskPrice)
            || !r.TryReadInt64(out t.AskSize))
        {
            return false;
        }

        if (!r.TryReadInt64(out t.ExchangeTimeNs)
            || !r.TryReadInt64(out t.ReceiveTimeNs)
            || !r.TryReadInt64(out t.ServerTimeNs))
        {
            return false;
        }

        reader = r;
        return true;
    }

    private static bool TryReadMerged(ref SpanFieldReader reader, out ServerMessage message)
    {
        ref var m = ref ServerMessage.StartMerged(out message);
        var r = reader;
        if (!r.TryReadInt32(int.MinValue, int.MaxValue, out m.SymbolId)
            || !r.TryReadInt64(out m.Epoch)
            || !r.TryReadInt64(out m.FirstSeq)
            || !r.TryReadInt64(out m.LastSeq)
            || !r.TryReadInt32(int.MinValue, int.MaxValue, out m.Count)
            || !r.TryReadArrayHeaderOrNil(out var quote))
        {
            return false;
        }

        if (quote >= 0)
        {
            if (quote < 4
                || !r.TryReadInt64(out m.BidPrice)
                || !r.TryReadInt64(out m.BidSize)
                || !r.TryReadInt64(out m.AskPrice)
                || !r.TryReadInt64(out m.AskSize))
            {
                return false;
            }

            m.HasQuote = true;
            if (quote > 4 && !r.TrySkip(quote - 4))
            {
                return false;
            }
        }

        if (!r.TryReadArrayHeaderOrNil(out var trade))
        {
            return false;
        }

        if (trade >= 0)
        {
            if (trade < 7
                || !r.TryReadInt32(1, int.MaxValue, out m.TradeCount)
                || !r.TryReadInt64(out m.LastPrice)
                || !r.TryReadInt64(out m.LastSize)
                || !r.TryReadInt32(0, byte.MaxValue, out var side)
                || !r.TryReadInt64(out m.Volume)
                || !r.TryReadInt64(out m.High)
                || !r.TryReadInt64(out m.Low))
            {
                return false;
            }

            m.LastSide = (TradeSide)side;
            if (trade > 7 && !r.TrySkip(trade - 7))
            {
                return false;
            }
        }

        if (!r.TryReadInt64(out m.ExchangeTimeNs)
            || !r.TryReadInt64(out m.ReceiveTimeNs)
            || !r.TryReadInt64(out m.ServerTimeNs))
        {
            return false;
        }

        reader = r;
        return true;
    }

    private static bool TryReadBody(ref SpanFieldReader r, int count, MessageType type, out ServerMessage message)
    {
        message = default;
        ServerMessageBody? body = null;
        switch (type)
        {
            case MessageType.Welcome:
                if (r.TryReadInt32(0, int.MaxValue, out var version)
                    && r.TryReadString(out var sessionId)
                    && r.TryReadInt64(out var serverTime)
                    && r.TryReadInt32(0, int.MaxValue, out var authDeadline)
                    && r.TryReadInt32(0, int.MaxValue, out var maxMessage)
                    && r.TryReadInt32(0, int.MaxValue, out var maxSubs)
                    && r.TryReadInt32(0, int.MaxValue, out var maxRate)
                    && r.TryReadInt32(0, int.MaxValue, out var maxFrame)
                    && r.TryReadInt32(0, int.MaxValue, out var heartbeat))
                {
                    body = new WelcomeMessage(version, sessionId, serverTime, authDeadline, maxMessage, maxSubs, maxRate, maxFrame, heartbeat);
                }

                break;
            case MessageType.Authenticated:
                if (r.TryReadInt64(out var authId)
                    && r.TryReadString(out var subject)
                    && r.TryReadInt64(out var expires))
                {
                    body = new AuthenticatedMessage(authId, subject, expires);
                }

                break;
            case MessageType.SubscribeAck:
                if (r.TryReadInt64(out var subId)
                    && r.TryReadInt32(0, byte.MaxValue, out var mode)
                    && r.TryReadArrayHeader(out var n))
                {
                    var symbols = n == 0 ? [] : new SymbolInfo[n];
                    for (var i = 0; i < n; i++)
                    {
                        if (!TryReadDefinition(ref r, out symbols[i]))
                        {
                            return false;
                        }
                    }

                    body = new SubscribeAckMessage(subId, (SubscriptionMode)mode, symbols);
                    if (count > 4)
                    {
                        if (!TryReadAckChannels(ref r, out var channels))
                        {
                            return false;
                        }

                        body = new SubscribeAckMessage(subId, (SubscriptionMode)mode, symbols) { Channels = channels };
                    }
                }

                break;
            case MessageType.UnsubscribeAck:
                if (r.TryReadInt64(out var unsubReq) && r.TryReadInt64(out var unsubId))
                {
                    body = new UnsubscribeAckMessage(unsubReq, unsubId);
                }

                break;
            case MessageType.Snapshot:
                if (r.TryReadInt64(out var snapReq) && TryReadSnapshotBody(ref r, out var snapInfo, out var snapState))
                {
                    body = new SnapshotMessage(snapReq, snapInfo, snapState);
                }

                break;
            case MessageType.Reset:
                if (r.TryReadInt64(out var resetReq)
                    && r.TryReadInt32(int.MinValue, int.MaxValue, out var reason)
                    && TryReadSnapshotBody(ref r, out var resetInfo, out var resetState))
                {
                    body = new ResetMessage(resetReq, (ResetReason)reason, resetInfo, resetState);
                }

                break;
            case MessageType.Heartbeat:
                if (r.TryReadInt64(out var hbTime)
                    && r.TryReadInt64(out var qBytes)
                    && r.TryReadInt64(out var qUpdates)
                    && r.TryReadInt64(out var lag)
                    && r.TryReadInt64(out var merged))
                {
                    body = new HeartbeatMessage(hbTime, qBytes, qUpdates, lag, merged);
                }

                break;
            case MessageType.Notice:
                if (r.TryReadInt32(int.MinValue, int.MaxValue, out var noticeCode)
                    && r.TryReadInt64(out var noticeSub)
                    && r.TryReadInt64(out var noticeValue)
                    && r.TryReadString(out var noticeText))
                {
                    body = new NoticeMessage((NoticeCode)noticeCode, noticeSub, noticeValue, noticeText);
                }

                break;
            case MessageType.Pong:
                if (r.TryReadInt64(out var pongReq)
                    && r.TryReadInt64(out var clientTime)
                    && r.TryReadInt64(out var pongTime))
                {
                    body = new PongMessage(pongReq, clientTime, pongTime);
                }

                break;
            case MessageType.Error:
                if (r.TryReadInt64(out var errReq)
                    && r.TryReadInt32(int.MinValue, int.MaxValue, out var errCode)
                    && r.TryReadString(out var errText))
                {
                    body = new ErrorMessage(errReq, (ErrorCode)errCode, errText);
                }

                break;
            case MessageType.IngestAck:
                if (r.TryReadInt64(out var ingestReq)
                    && r.TryReadInt32(0, int.MaxValue, out var accepted)
                    && TryReadIngestRejects(ref r, out var rejects))
                {
                    body = new IngestAckMessage(ingestReq, accepted, rejects);
                }

                break;
        }

        if (body is null)
        {
            return false;
        }

        message = new ServerMessage(body);
        return true;
    }

    /// <summary>IngestAck's <c>[[index, code], …]</c>; codes unknown to this version are kept as numbers (§3).</summary>
    private static bool TryReadIngestRejects(ref SpanFieldReader r, out IngestReject[] rejects)
    {
        rejects = [];
        if (!r.TryReadArrayHeader(out var n))
        {
            return false;
        }

        var result = n == 0 ? [] : new IngestReject[n];
        for (var i = 0; i < n; i++)
        {
            if (!r.TryReadArrayHeader(out var fields) || fields < 2
                || !r.TryReadInt32(0, int.MaxValue, out var index)
                || !r.TryReadInt32(0, byte.MaxValue, out var code))
            {
                return false;
            }

            if (fields > 2 && !r.TrySkip(fields - 2))
            {
                return false;
            }
            result[i] = new IngestReject(index, (IngestRejectCode)code);
        }

        rejects = result;
        return true;
    }

    private static bool TryReadDefinition(ref SpanFieldReader r, out SymbolInfo info)
    {
        info = null!;
        if (!r.TryReadArrayHeader(out var n) || n < 6
            || !r.TryReadInt32(int.MinValue, int.MaxValue, out var id)
            || !r.TryReadString(out var name)
            || !r.TryReadInt32(0, SymbolInfo.MaxScale, out var priceScale)
            || !r.TryReadInt32(0, SymbolInfo.MaxScale, out var sizeScale)
            || !r.TryReadString(out var currency)
            || !r.TryReadString(out var venue))
        {
            return false;
        }

        if (n > 6 && !r.TrySkip(n - 6))
        {
            return false;
        }
        info = new SymbolInfo(id, name, (byte)priceScale, (byte)sizeScale, currency, venue);
        return true;
    }

    private static bool TryReadSnapshotBody(ref SpanFieldReader r, out SymbolInfo info, out SymbolSnapshot s)
    {
        s = default;
        if (!TryReadDefinition(ref r, out info)
            || !r.TryReadInt64(out s.Epoch)
            || !r.TryReadInt64(out s.Seq)
            || !r.TryReadArrayHeaderOrNil(out var quote))
        {
            return false;
        }

        s.SymbolId = info.Id;
        if (quote >= 0)
        {
            if (quote < 4
                || !r.TryReadInt64(out s.BidPrice)
                || !r.TryReadInt64(out s.BidSize)
                || !r.TryReadInt64(out s.AskPrice)
                || !r.TryReadInt64(out s.AskSize))
            {
                return false;
            }

            s.HasQuote = true;
            if (quote > 4 && !r.TrySkip(quote - 4))
            {
                return false;
            }
        }

        if (!r.TryReadArrayHeaderOrNil(out var trade))
        {
            return false;
        }

        if (trade >= 0)
        {
            if (trade < 8
                || !r.TryReadInt64(out s.LastPrice)
                || !r.TryReadInt64(out s.LastSize)
                || !r.TryReadInt32(0, byte.MaxValue, out var side)
                || !r.TryReadInt64(out s.Open)
                || !r.TryReadInt64(out s.High)
                || !r.TryReadInt64(out s.Low)
                || !r.TryReadInt64(out s.Volume)
                || !r.TryReadInt64(out s.TradeCount))
            {
                return false;
            }

            s.HasTrade = true;
            s.LastSide = (TradeSide)side;
            if (trade > 8 && !r.TrySkip(trade - 8))
            {
                return false;
            }
        }

        return r.TryReadInt64(out s.ExchangeTimeNs)
            && r.TryReadInt64(out s.ServerTimeNs);
    }

    private static bool Fail(ErrorCode code, string detail, out ProtocolError error)
    {
        error = new ProtocolError(code, 0, detail);
        return false;
    }
}
