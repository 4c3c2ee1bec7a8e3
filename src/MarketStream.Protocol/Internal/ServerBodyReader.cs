using MarketStream.Core.Market;
using MessagePack;

namespace MarketStream.Protocol.Internal;

/// <summary>
/// Decodes the fields after the type code of one server message. Lenient in one way only, for forward
/// compatibility (docs/protocol.md §3): elements beyond the documented ones are skipped. Enum-valued
/// codes (error, notice, reset reason) are kept even if unknown to this version.
/// </summary>
internal static class ServerBodyReader
{
    /// <summary>Reads the fields after the type code; <paramref name="count"/> is the whole array length, type code included.</summary>
    public static bool TryRead(ref MessagePackReader r, int count, MessageType type, out ServerMessage message, out ProtocolError error)
    {
        message = default;
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
            _ => -1,
        };
        if (expected < 0)
        {
            return Fail(ErrorCode.UnknownMessageType, "unknown server message type", out error);
        }

        if (count < expected)
        {
            return Fail(ErrorCode.InvalidField, "message has fewer elements than its type requires", out error);
        }

        var ok = type switch
        {
            MessageType.Update => TryReadUpdate(ref r, out message),
            MessageType.Merged => TryReadMerged(ref r, out message),
            _ => TryReadBody(ref r, type, out message),
        };
        if (!ok)
        {
            return Fail(ErrorCode.InvalidField, "a field has the wrong type or is out of range", out error);
        }

        FieldReader.Skip(ref r, count - expected);
        error = default;
        return true;
    }

    private static bool TryReadUpdate(ref MessagePackReader r, out ServerMessage message)
    {
        message = default;
        var t = default(Tick);
        if (!FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out t.SymbolId)
            || !FieldReader.TryReadInt64(ref r, out t.Epoch)
            || !FieldReader.TryReadInt64(ref r, out t.Seq)
            || !FieldReader.TryReadInt32(ref r, (int)TickKind.Quote, (int)TickKind.Trade, out var kind))
        {
            return false;
        }

        t.Kind = (TickKind)kind;
        if (t.Kind == TickKind.Trade)
        {
            if (!FieldReader.TryReadInt64(ref r, out t.Price)
                || !FieldReader.TryReadInt64(ref r, out t.Size)
                || !FieldReader.TryReadInt32(ref r, 0, byte.MaxValue, out var side)
                || !FieldReader.TryReadInt32(ref r, 0, ushort.MaxValue, out var conditions))
            {
                return false;
            }

            t.Side = (TradeSide)side;
            t.Conditions = (ushort)conditions;
        }
        else if (!FieldReader.TryReadInt64(ref r, out t.BidPrice)
            || !FieldReader.TryReadInt64(ref r, out t.BidSize)
            || !FieldReader.TryReadInt64(ref r, out t.AskPrice)
            || !FieldReader.TryReadInt64(ref r, out t.AskSize))
        {
            return false;
        }

        if (!FieldReader.TryReadInt64(ref r, out t.ExchangeTimeNs)
            || !FieldReader.TryReadInt64(ref r, out t.ReceiveTimeNs)
            || !FieldReader.TryReadInt64(ref r, out t.ServerTimeNs))
        {
            return false;
        }

        message = new ServerMessage(t);
        return true;
    }

    private static bool TryReadMerged(ref MessagePackReader r, out ServerMessage message)
    {
        message = default;
        var m = default(MergedUpdate);
        if (!FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out m.SymbolId)
            || !FieldReader.TryReadInt64(ref r, out m.Epoch)
            || !FieldReader.TryReadInt64(ref r, out m.FirstSeq)
            || !FieldReader.TryReadInt64(ref r, out m.LastSeq)
            || !FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out m.Count)
            || !FieldReader.TryReadArrayHeaderOrNil(ref r, out var quote))
        {
            return false;
        }

        if (quote >= 0)
        {
            if (quote < 4
                || !FieldReader.TryReadInt64(ref r, out m.BidPrice)
                || !FieldReader.TryReadInt64(ref r, out m.BidSize)
                || !FieldReader.TryReadInt64(ref r, out m.AskPrice)
                || !FieldReader.TryReadInt64(ref r, out m.AskSize))
            {
                return false;
            }

            m.HasQuote = true;
            FieldReader.Skip(ref r, quote - 4);
        }

        if (!FieldReader.TryReadArrayHeaderOrNil(ref r, out var trade))
        {
            return false;
        }

        if (trade >= 0)
        {
            if (trade < 7
                || !FieldReader.TryReadInt32(ref r, 1, int.MaxValue, out m.TradeCount)
                || !FieldReader.TryReadInt64(ref r, out m.LastPrice)
                || !FieldReader.TryReadInt64(ref r, out m.LastSize)
                || !FieldReader.TryReadInt32(ref r, 0, byte.MaxValue, out var side)
                || !FieldReader.TryReadInt64(ref r, out m.Volume)
                || !FieldReader.TryReadInt64(ref r, out m.High)
                || !FieldReader.TryReadInt64(ref r, out m.Low))
            {
                return false;
            }

            m.LastSide = (TradeSide)side;
            FieldReader.Skip(ref r, trade - 7);
        }

        if (!FieldReader.TryReadInt64(ref r, out m.ExchangeTimeNs)
            || !FieldReader.TryReadInt64(ref r, out m.ReceiveTimeNs)
            || !FieldReader.TryReadInt64(ref r, out m.ServerTimeNs))
        {
            return false;
        }

        message = new ServerMessage(m);
        return true;
    }

    private static bool TryReadBody(ref MessagePackReader r, MessageType type, out ServerMessage message)
    {
        message = default;
        ServerMessageBody? body = null;
        switch (type)
        {
            case MessageType.Welcome:
                if (FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var version)
                    && FieldReader.TryReadString(ref r, out var sessionId)
                    && FieldReader.TryReadInt64(ref r, out var serverTime)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var authDeadline)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var maxMessage)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var maxSubs)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var maxRate)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var maxFrame)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var heartbeat))
                {
                    body = new WelcomeMessage(version, sessionId, serverTime, authDeadline, maxMessage, maxSubs, maxRate, maxFrame, heartbeat);
                }

                break;
            case MessageType.Authenticated:
                if (FieldReader.TryReadInt64(ref r, out var authId)
                    && FieldReader.TryReadString(ref r, out var subject)
                    && FieldReader.TryReadInt64(ref r, out var expires))
                {
                    body = new AuthenticatedMessage(authId, subject, expires);
                }

                break;
            case MessageType.SubscribeAck:
                if (FieldReader.TryReadInt64(ref r, out var subId)
                    && FieldReader.TryReadInt32(ref r, 0, byte.MaxValue, out var mode)
                    && FieldReader.TryReadArrayHeader(ref r, out var n))
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
                }

                break;
            case MessageType.UnsubscribeAck:
                if (FieldReader.TryReadInt64(ref r, out var unsubReq) && FieldReader.TryReadInt64(ref r, out var unsubId))
                {
                    body = new UnsubscribeAckMessage(unsubReq, unsubId);
                }

                break;
            case MessageType.Snapshot:
                if (FieldReader.TryReadInt64(ref r, out var snapReq) && TryReadSnapshotBody(ref r, out var snapInfo, out var snapState))
                {
                    body = new SnapshotMessage(snapReq, snapInfo, snapState);
                }

                break;
            case MessageType.Reset:
                if (FieldReader.TryReadInt64(ref r, out var resetReq)
                    && FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out var reason)
                    && TryReadSnapshotBody(ref r, out var resetInfo, out var resetState))
                {
                    body = new ResetMessage(resetReq, (ResetReason)reason, resetInfo, resetState);
                }

                break;
            case MessageType.Heartbeat:
                if (FieldReader.TryReadInt64(ref r, out var hbTime)
                    && FieldReader.TryReadInt64(ref r, out var qBytes)
                    && FieldReader.TryReadInt64(ref r, out var qUpdates)
                    && FieldReader.TryReadInt64(ref r, out var lag)
                    && FieldReader.TryReadInt64(ref r, out var merged))
                {
                    body = new HeartbeatMessage(hbTime, qBytes, qUpdates, lag, merged);
                }

                break;
            case MessageType.Notice:
                if (FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out var noticeCode)
                    && FieldReader.TryReadInt64(ref r, out var noticeSub)
                    && FieldReader.TryReadInt64(ref r, out var noticeValue)
                    && FieldReader.TryReadString(ref r, out var noticeText))
                {
                    body = new NoticeMessage((NoticeCode)noticeCode, noticeSub, noticeValue, noticeText);
                }

                break;
            case MessageType.Pong:
                if (FieldReader.TryReadInt64(ref r, out var pongReq)
                    && FieldReader.TryReadInt64(ref r, out var clientTime)
                    && FieldReader.TryReadInt64(ref r, out var pongTime))
                {
                    body = new PongMessage(pongReq, clientTime, pongTime);
                }

                break;
            case MessageType.Error:
                if (FieldReader.TryReadInt64(ref r, out var errReq)
                    && FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out var errCode)
                    && FieldReader.TryReadString(ref r, out var errText))
                {
                    body = new ErrorMessage(errReq, (ErrorCode)errCode, errText);
                }

                break;
            case MessageType.IngestAck:
                if (FieldReader.TryReadInt64(ref r, out var ingestReq)
                    && FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var accepted)
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
    private static bool TryReadIngestRejects(ref MessagePackReader r, out IngestReject[] rejects)
    {
        rejects = [];
        if (!FieldReader.TryReadArrayHeader(ref r, out var n))
        {
            return false;
        }

        var result = n == 0 ? [] : new IngestReject[n];
        for (var i = 0; i < n; i++)
        {
            if (!FieldReader.TryReadArrayHeader(ref r, out var fields) || fields < 2
                || !FieldReader.TryReadInt32(ref r, 0, int.MaxValue, out var index)
                || !FieldReader.TryReadInt32(ref r, 0, byte.MaxValue, out var code))
            {
                return false;
            }

            FieldReader.Skip(ref r, fields - 2);
            result[i] = new IngestReject(index, (IngestRejectCode)code);
        }

        rejects = result;
        return true;
    }

    private static bool TryReadDefinition(ref MessagePackReader r, out SymbolInfo info)
    {
        info = null!;
        if (!FieldReader.TryReadArrayHeader(ref r, out var n) || n < 6
            || !FieldReader.TryReadInt32(ref r, int.MinValue, int.MaxValue, out var id)
            || !FieldReader.TryReadString(ref r, out var name)
            || !FieldReader.TryReadInt32(ref r, 0, SymbolInfo.MaxScale, out var priceScale)
            || !FieldReader.TryReadInt32(ref r, 0, SymbolInfo.MaxScale, out var sizeScale)
            || !FieldReader.TryReadString(ref r, out var currency)
            || !FieldReader.TryReadString(ref r, out var venue))
        {
            return false;
        }

        FieldReader.Skip(ref r, n - 6);
        info = new SymbolInfo(id, name, (byte)priceScale, (byte)sizeScale, currency, venue);
        return true;
    }

    private static bool TryReadSnapshotBody(ref MessagePackReader r, out SymbolInfo info, out SymbolSnapshot s)
    {
        s = default;
        if (!TryReadDefinition(ref r, out info)
            || !FieldReader.TryReadInt64(ref r, out s.Epoch)
            || !FieldReader.TryReadInt64(ref r, out s.Seq)
            || !FieldReader.TryReadArrayHeaderOrNil(ref r, out var quote))
        {
            return false;
        }

        s.SymbolId = info.Id;
        if (quote >= 0)
        {
            if (quote < 4
                || !FieldReader.TryReadInt64(ref r, out s.BidPrice)
                || !FieldReader.TryReadInt64(ref r, out s.BidSize)
                || !FieldReader.TryReadInt64(ref r, out s.AskPrice)
                || !FieldReader.TryReadInt64(ref r, out s.AskSize))
            {
                return false;
            }

            s.HasQuote = true;
            FieldReader.Skip(ref r, quote - 4);
        }

        if (!FieldReader.TryReadArrayHeaderOrNil(ref r, out var trade))
        {
            return false;
        }

        if (trade >= 0)
        {
            if (trade < 8
                || !FieldReader.TryReadInt64(ref r, out s.LastPrice)
                || !FieldReader.TryReadInt64(ref r, out s.LastSize)
                || !FieldReader.TryReadInt32(ref r, 0, byte.MaxValue, out var side)
                || !FieldReader.TryReadInt64(ref r, out s.Open)
                || !FieldReader.TryReadInt64(ref r, out s.High)
                || !FieldReader.TryReadInt64(ref r, out s.Low)
                || !FieldReader.TryReadInt64(ref r, out s.Volume)
                || !FieldReader.TryReadInt64(ref r, out s.TradeCount))
            {
                return false;
            }

            s.HasTrade = true;
            s.LastSide = (TradeSide)side;
            FieldReader.Skip(ref r, trade - 8);
        }

        return FieldReader.TryReadInt64(ref r, out s.ExchangeTimeNs)
            && FieldReader.TryReadInt64(ref r, out s.ServerTimeNs);
    }

    private static bool Fail(ErrorCode code, string detail, out ProtocolError error)
    {
        error = new ProtocolError(code, 0, detail);
        return false;
    }
}
